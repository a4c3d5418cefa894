import type { Phrases } from './phrases.ts'

export const it: Phrases = {
  greeting: 'Buongiorno,',
  signOff: 'Cordiali saluti,\nIl team per la protezione dei dati',
  reference: (id) => `Il suo riferimento: ${id}. La preghiamo di mantenerlo nell’oggetto quando risponde.`,
  subjects: {
    acknowledgement: 'Abbiamo ricevuto la sua richiesta',
    verification_code: 'Il suo codice di verifica',
    completed: 'La sua richiesta è stata evasa',
    no_data: 'Non conserviamo dati personali che la riguardano',
    extension: 'Ci serve più tempo per la sua richiesta',
    denied: 'La nostra decisione sulla sua richiesta'
  },
  requests: {
    access: 'la sua richiesta di accesso ai suoi dati personali',
    portability: 'la sua richiesta di portabilità dei suoi dati personali',
    rectification: 'la sua richiesta di rettifica dei suoi dati personali',
    erasure: 'la sua richiesta di cancellazione dei suoi dati personali',
    restriction: 'la sua richiesta di limitazione del trattamento dei suoi dati personali',
    objection: 'la sua opposizione al trattamento dei suoi dati personali (o la revoca del suo consenso)',
    ccpa_know: 'la sua richiesta di sapere quali informazioni personali abbiamo raccolto su di lei',
    ccpa_delete: 'la sua richiesta di cancellazione delle sue informazioni personali',
    ccpa_opt_out: 'la sua richiesta di non vendere né condividere le sue informazioni personali',
    unclassified: 'la sua richiesta sulla privacy'
  },
  received: (request) => `Abbiamo ricevuto ${request}. La ringraziamo per averci contattato.`,
  handled: (request) => `Abbiamo gestito ${request}.`,
  acknowledgement: {
    nextStep:
      'Prossimo passo: prima di comunicare, modificare o cancellare qualsiasi dato, dobbiamo accertarci che la richiesta provenga davvero da lei. ' +
      'Le invieremo un codice monouso all’indirizzo e-mail che abbiamo registrato per lei; le basterà rispondere a quel messaggio indicando il codice. ' +
      'Se avremo bisogno d’altro, glielo faremo sapere.',
    noVerification: 'Per questo non è necessario che dimostri la sua identità.',
    deadline: {
      gdpr: (d) =>
        `Le risponderemo entro un mese dal ricevimento, al più tardi entro il ${d}. Se la sua richiesta è particolarmente complessa, il termine può essere ` +
        'prorogato di altri due mesi al massimo; in tal caso glielo comunicheremmo entro il primo mese, spiegandole i motivi.',
      ccpa: (d) =>
        `Le risponderemo entro 45 giorni dal ricevimento, al più tardi entro il ${d}. Se ci servisse più tempo, potremmo prorogare il termine una sola volta ` +
        'di altri 45 giorni al massimo; glielo comunicheremmo entro i primi 45 giorni, spiegandole i motivi.',
      other: (d) => `Le risponderemo entro il ${d}.`
    },
    optOutDeadline: (d) => `Vi daremo seguito entro 15 giorni lavorativi, al più tardi entro il ${d}.`,
    free: 'La gestione della sua richiesta è gratuita.'
  },
  verification: {
    intro: 'Per confermare che la richiesta proviene da lei, utilizzi questo codice monouso:',
    expires: (at) => `Il codice è valido fino al ${at}.`,
    reply: 'Le basta rispondere a questa e-mail indicando il codice.',
    ignore: 'Se non ci ha inviato alcuna richiesta, ignori questa e-mail: senza il codice non succederà nulla. Non le chiederemo mai la sua password.'
  },
  export: {
    ready: {
      access: 'La copia dei dati personali che conserviamo su di lei è pronta.',
      portability: 'I suoi dati sono pronti in un formato strutturato, di uso comune e leggibile da dispositivo automatico, che può trasmettere a un altro fornitore.',
      ccpa_know: 'Il prospetto delle informazioni personali che abbiamo raccolto su di lei è pronto.'
    },
    delivery:
      'Riceverà i dati in un file JSON e, in aggiunta, i suoi ordini in un foglio CSV. Per la sua sicurezza non alleghiamo i file a questa e-mail: ' +
      'glieli invieremo separatamente tramite un canale sicuro.',
    pending: 'Stiamo raccogliendo i suoi dati e glieli invieremo separatamente, tramite un canale sicuro, non appena saranno pronti.'
  },
  erasure: {
    erased: 'Abbiamo cancellato i suoi dati personali.',
    erasedFrom: {
      one: (n) => `Abbiamo cancellato i suoi dati personali da ${n} scheda contatto.`,
      other: (n) => `Abbiamo cancellato i suoi dati personali da ${n} schede contatto.`
    },
    nothingLeft: 'Non abbiamo trovato dati personali ancora da cancellare.',
    someKept: 'Alcuni dati non sono stati cancellati, per i seguenti motivi:',
    allKept: 'Non abbiamo ancora potuto cancellare i suoi dati personali, per i seguenti motivi:',
    kept: {
      legal_hold: 'Un obbligo legale di conservazione (ad esempio in materia fiscale e contabile) o un procedimento in corso ci impone di conservare alcuni dati.',
      open_order: 'Ha un ordine ancora aperto: ci servono i suoi dati per completarlo (consegna, fatturazione, resi).',
      protected: 'Alcuni dati sono collegati a un account utente o alla nostra azienda e non possono essere cancellati automaticamente; se ne occuperà manualmente il nostro team.',
      failed: 'Si è verificato un problema tecnico con una parte dei dati. Ripeteremo la cancellazione e gliela confermeremo.'
    },
    keptOther: 'Un altro motivo ci obbliga a conservare alcuni dati per ora; saremo lieti di spiegarglielo su richiesta.',
    afterwards: 'Non appena un motivo verrà meno, cancelleremo anche questi dati, senza che lei debba contattarci di nuovo. Fino ad allora li useremo solo per quello scopo.'
  },
  rectification: {
    fields: (list) => `Abbiamo corretto i seguenti dati: ${list}.`,
    done: 'Abbiamo corretto i suoi dati come richiesto.',
    followUp: 'Se qualcosa non è ancora corretto, risponda semplicemente a questa e-mail.',
    fieldNames: {
      name: 'nome',
      email: 'indirizzo e-mail',
      phone: 'numero di telefono',
      mobile: 'numero di cellulare',
      street: 'indirizzo',
      street2: 'seconda riga dell’indirizzo',
      zip: 'CAP',
      city: 'città',
      state: 'provincia o regione',
      country: 'paese',
      vat: 'partita IVA',
      company_name: 'ragione sociale'
    }
  },
  restriction:
    'Abbiamo limitato il trattamento dei suoi dati personali. D’ora in poi ci limiteremo a conservarli; li utilizzeremo per altri scopi solo con il suo consenso, ' +
    'per l’accertamento, l’esercizio o la difesa di un diritto in sede giudiziaria, o per tutelare i diritti di altre persone. La informeremo prima di revocare la limitazione.',
  objection:
    'Abbiamo registrato la sua opposizione (o la revoca del suo consenso) e interrotto il trattamento interessato, ad esempio l’invio di e-mail promozionali. ' +
    'Ciò non pregiudica la liceità del trattamento effettuato in precedenza.',
  optOut: 'Abbiamo registrato la sua richiesta. Non vendiamo né condividiamo informazioni personali; la sua scelta resta comunque registrata e sarà rispettata anche in futuro.',
  noData: [
    'Abbiamo cercato nei nostri sistemi dati collegati alle informazioni della sua richiesta: non conserviamo alcun dato personale che la riguardi.',
    'La sua richiesta è quindi conclusa.'
  ],
  extension: {
    notice: (d) => `Ci serve più tempo per gestire la sua richiesta: prorogheremo quindi il termine e le risponderemo entro il ${d}.`,
    reason: (r) => `Il motivo: ${r}`,
    closing: 'La ringraziamo per la comprensione. La ricontatteremo non appena la sua richiesta sarà stata evasa, se possibile prima.'
  },
  denial: {
    intro: 'Purtroppo non possiamo dare seguito alla sua richiesta, per il seguente motivo:',
    reasons: {
      identity_not_verified:
        'Non siamo riusciti a verificare con sufficiente certezza che la richiesta provenga da lei. Per proteggere i suoi dati, li comunichiamo, modifichiamo o cancelliamo solo dopo aver confermato la sua identità.',
      agent_not_authorised: 'La richiesta è stata presentata per suo conto da un’altra persona, senza un’autorizzazione da lei firmata.',
      manifestly_unfounded: 'La richiesta è manifestamente infondata.',
      excessive: 'La richiesta è eccessiva, in particolare perché ripetuta a breve distanza di tempo.',
      legal_obligation_to_retain: 'Obblighi legali di conservazione, ad esempio in materia fiscale, ci impongono di conservare questi dati.',
      legal_claims: 'Questi dati ci servono per accertare, esercitare o difendere un diritto in sede giudiziaria.',
      rights_of_others: 'Darvi seguito lederebbe i diritti e le libertà di altre persone.',
      right_does_not_apply: 'Il diritto esercitato non si applica al trattamento in questione.'
    },
    detail: (d) => `Ulteriori dettagli: ${d}`,
    review: 'Se non è d’accordo con questa decisione o desidera fornirci ulteriori informazioni, risponda a questa e-mail e riesamineremo la sua richiesta.',
    complaint:
      'Ha inoltre il diritto di proporre reclamo a un’autorità di controllo per la protezione dei dati, in particolare nello Stato membro dell’UE in cui risiede o lavora, ' +
      'e di proporre ricorso giurisdizionale (articoli 12, paragrafo 4, 77 e 79 del GDPR).'
  }
}
