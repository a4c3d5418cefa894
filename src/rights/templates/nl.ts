import type { Phrases } from './phrases.ts'

export const nl: Phrases = {
  greeting: 'Goedendag,',
  signOff: 'Met vriendelijke groet,\nHet privacyteam',
  reference: (id) => `Uw referentie: ${id}. Laat deze in de onderwerpregel staan als u antwoordt.`,
  subjects: {
    acknowledgement: 'Wij hebben uw verzoek ontvangen',
    verification_code: 'Uw verificatiecode',
    completed: 'Uw verzoek is afgehandeld',
    no_data: 'Wij hebben geen persoonsgegevens van u',
    extension: 'Wij hebben meer tijd nodig voor uw verzoek',
    denied: 'Ons besluit over uw verzoek'
  },
  requests: {
    access: 'uw verzoek om inzage in uw persoonsgegevens',
    portability: 'uw verzoek om overdracht van uw persoonsgegevens',
    rectification: 'uw verzoek om correctie van uw persoonsgegevens',
    erasure: 'uw verzoek om verwijdering van uw persoonsgegevens',
    restriction: 'uw verzoek om beperking van de verwerking van uw persoonsgegevens',
    objection: 'uw bezwaar tegen de verwerking van uw persoonsgegevens (of de intrekking van uw toestemming)',
    ccpa_know: 'uw verzoek om te weten welke persoonlijke informatie wij over u hebben verzameld',
    ccpa_delete: 'uw verzoek om verwijdering van uw persoonlijke informatie',
    ccpa_opt_out: 'uw verzoek om uw persoonlijke informatie niet te verkopen of te delen',
    unclassified: 'uw privacyverzoek'
  },
  received: (request) => `Wij hebben ${request} ontvangen. Dank u wel voor uw bericht.`,
  handled: (request) => `Wij hebben ${request} afgehandeld.`,
  acknowledgement: {
    nextStep:
      'Hoe het verdergaat: voordat wij gegevens verstrekken, wijzigen of verwijderen, moeten wij zeker weten dat het verzoek echt van u komt. ' +
      'Wij sturen u een eenmalige code naar het e-mailadres dat bij ons van u bekend is; u hoeft alleen op dat bericht te antwoorden met de code. ' +
      'Als wij nog iets anders nodig hebben, laten wij het u weten.',
    noVerification: 'Hiervoor hoeft u uw identiteit niet aan te tonen.',
    deadline: {
      gdpr: (d) =>
        `Wij reageren binnen een maand na ontvangst, uiterlijk op ${d}. Is uw verzoek bijzonder complex, dan kan deze termijn met maximaal twee maanden ` +
        'worden verlengd; dat laten wij u dan binnen de eerste maand weten, met de reden.',
      ccpa: (d) =>
        `Wij reageren binnen 45 dagen na ontvangst, uiterlijk op ${d}. Hebben wij meer tijd nodig, dan kunnen wij deze termijn eenmalig met maximaal 45 dagen ` +
        'verlengen; dat laten wij u dan binnen de eerste 45 dagen weten, met de reden.',
      other: (d) => `Wij reageren uiterlijk op ${d}.`
    },
    optOutDeadline: (d) => `Wij voeren het binnen 15 werkdagen uit, uiterlijk op ${d}.`,
    free: 'Aan de behandeling van uw verzoek zijn geen kosten verbonden.'
  },
  verification: {
    intro: 'Gebruik deze eenmalige code om te bevestigen dat het verzoek van u komt:',
    expires: (at) => `De code is geldig tot ${at}.`,
    reply: 'Antwoord gewoon op deze e-mail met de code.',
    ignore: 'Hebt u geen verzoek bij ons ingediend? Dan kunt u deze e-mail negeren: zonder de code gebeurt er niets. Wij vragen u nooit om uw wachtwoord.'
  },
  export: {
    ready: {
      access: 'De kopie van de persoonsgegevens die wij over u bewaren, is klaar.',
      portability: 'Uw gegevens staan klaar in een gestructureerd, gangbaar en machineleesbaar formaat, dat u aan een andere aanbieder kunt doorgeven.',
      ccpa_know: 'Het overzicht van de persoonlijke informatie die wij over u hebben verzameld, is klaar.'
    },
    delivery:
      'U ontvangt de gegevens als JSON-bestand en uw bestellingen daarnaast als CSV-spreadsheet. Voor uw veiligheid voegen wij de bestanden niet bij deze e-mail, ' +
      'maar sturen wij ze u apart via een beveiligde weg toe.',
    pending: 'Wij zijn uw gegevens aan het verzamelen en sturen ze u apart via een beveiligde weg toe zodra ze klaar zijn.'
  },
  erasure: {
    erased: 'Wij hebben uw persoonsgegevens verwijderd.',
    erasedFrom: {
      one: (n) => `Wij hebben uw persoonsgegevens uit ${n} contactkaart verwijderd.`,
      other: (n) => `Wij hebben uw persoonsgegevens uit ${n} contactkaarten verwijderd.`
    },
    nothingLeft: 'Wij hebben geen persoonsgegevens gevonden die nog verwijderd moesten worden.',
    someKept: 'Sommige gegevens zijn niet verwijderd, om de volgende redenen:',
    allKept: 'Wij konden uw persoonsgegevens nog niet verwijderen, om de volgende redenen:',
    kept: {
      legal_hold: 'Een wettelijke bewaarplicht (bijvoorbeeld op grond van fiscale en boekhoudkundige regels) of een lopende procedure verplicht ons bepaalde gegevens te bewaren.',
      open_order: 'U hebt nog een openstaande bestelling: wij hebben uw gegevens nodig om die af te handelen (levering, facturering, retouren).',
      protected: 'Sommige gegevens zijn gekoppeld aan een gebruikersaccount of aan ons bedrijf en kunnen niet automatisch worden verwijderd; ons team handelt dit handmatig af.',
      failed: 'Bij een deel van de gegevens is een technisch probleem opgetreden. Wij proberen het opnieuw en bevestigen de verwijdering aan u.'
    },
    keptOther: 'Een andere reden verplicht ons bepaalde gegevens voorlopig te bewaren; op verzoek lichten wij die graag toe.',
    afterwards: 'Zodra een reden vervalt, verwijderen wij ook deze gegevens, zonder dat u opnieuw contact met ons hoeft op te nemen. Tot die tijd gebruiken wij ze alleen voor dat doel.'
  },
  rectification: {
    fields: (list) => `Wij hebben de volgende gegevens gecorrigeerd: ${list}.`,
    done: 'Wij hebben uw gegevens gecorrigeerd zoals u had gevraagd.',
    followUp: 'Klopt er nog iets niet? Antwoord dan gewoon op deze e-mail.',
    fieldNames: {
      name: 'naam',
      email: 'e-mailadres',
      phone: 'telefoonnummer',
      mobile: 'mobiele nummer',
      street: 'straat en huisnummer',
      street2: 'adresregel 2',
      zip: 'postcode',
      city: 'plaats',
      state: 'provincie of regio',
      country: 'land',
      vat: 'btw-nummer',
      company_name: 'bedrijfsnaam'
    }
  },
  restriction:
    'Wij hebben de verwerking van uw persoonsgegevens beperkt. Vanaf nu bewaren wij ze alleen nog; voor iets anders gebruiken wij ze uitsluitend met uw toestemming, ' +
    'voor de instelling, uitoefening of onderbouwing van een rechtsvordering, of ter bescherming van de rechten van anderen. Voordat wij de beperking opheffen, laten wij het u weten.',
  objection:
    'Wij hebben uw bezwaar (of de intrekking van uw toestemming) vastgelegd en de betreffende verwerking gestopt, bijvoorbeeld het versturen van reclame-e-mails. ' +
    'Dit doet niets af aan de rechtmatigheid van de verwerking daarvoor.',
  optOut: 'Wij hebben uw verzoek vastgelegd. Wij verkopen of delen geen persoonlijke informatie; uw keuze blijft desondanks vastgelegd en wordt ook in de toekomst gerespecteerd.',
  noData: ['Wij hebben in onze systemen gezocht naar gegevens bij de informatie in uw verzoek: wij hebben geen persoonsgegevens van u.', 'Uw verzoek is daarmee afgehandeld.'],
  extension: {
    notice: (d) => `Wij hebben meer tijd nodig om uw verzoek af te handelen en verlengen daarom de termijn voor ons antwoord tot ${d}.`,
    reason: (r) => `De reden: ${r}`,
    closing: 'Dank u voor uw begrip. Wij nemen contact met u op zodra uw verzoek is afgehandeld, zo mogelijk eerder.'
  },
  denial: {
    intro: 'Helaas kunnen wij niet aan uw verzoek voldoen, om de volgende reden:',
    reasons: {
      identity_not_verified:
        'Wij konden niet met voldoende zekerheid vaststellen dat het verzoek van u komt. Om uw gegevens te beschermen, verstrekken, wijzigen of verwijderen wij ze pas als uw identiteit is bevestigd.',
      agent_not_authorised: 'Het verzoek is namens u ingediend door iemand anders, zonder een door u ondertekende machtiging.',
      manifestly_unfounded: 'Het verzoek is kennelijk ongegrond.',
      excessive: 'Het verzoek is buitensporig, met name omdat het kort na elkaar is herhaald.',
      legal_obligation_to_retain: 'Wettelijke bewaarplichten, bijvoorbeeld op fiscaal gebied, verplichten ons deze gegevens te bewaren.',
      legal_claims: 'Wij hebben deze gegevens nodig voor de instelling, uitoefening of onderbouwing van een rechtsvordering.',
      rights_of_others: 'Het inwilligen ervan zou afbreuk doen aan de rechten en vrijheden van anderen.',
      right_does_not_apply: 'Het ingeroepen recht is niet van toepassing op de betreffende verwerking.'
    },
    detail: (d) => `Toelichting: ${d}`,
    review: 'Bent u het niet eens met dit besluit of wilt u ons meer informatie geven? Antwoord dan op deze e-mail; wij bekijken uw verzoek dan opnieuw.',
    complaint:
      'U hebt ook het recht een klacht in te dienen bij een toezichthoudende autoriteit voor gegevensbescherming, met name in de EU-lidstaat waar u woont of werkt, ' +
      'en een beroep in te stellen bij de rechter (artikelen 12, lid 4, 77 en 79 AVG).'
  }
}
