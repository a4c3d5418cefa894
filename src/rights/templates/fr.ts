import type { Phrases } from './phrases.ts'

export const fr: Phrases = {
  greeting: 'Bonjour,',
  signOff: 'Bien cordialement,\nL’équipe chargée de la protection des données',
  reference: (id) => `Votre référence : ${id}. Merci de la conserver dans l’objet de votre réponse.`,
  subjects: {
    acknowledgement: 'Nous avons bien reçu votre demande',
    verification_code: 'Votre code de vérification',
    completed: 'Votre demande a été traitée',
    no_data: 'Nous ne détenons aucune donnée personnelle vous concernant',
    extension: 'Nous avons besoin de plus de temps pour votre demande',
    denied: 'Notre décision concernant votre demande'
  },
  requests: {
    access: 'votre demande d’accès à vos données personnelles',
    portability: 'votre demande de portabilité de vos données personnelles',
    rectification: 'votre demande de rectification de vos données personnelles',
    erasure: 'votre demande d’effacement de vos données personnelles',
    restriction: 'votre demande de limitation du traitement de vos données personnelles',
    objection: 'votre opposition au traitement de vos données personnelles (ou le retrait de votre consentement)',
    ccpa_know: 'votre demande visant à savoir quelles informations personnelles nous avons collectées à votre sujet',
    ccpa_delete: 'votre demande de suppression de vos informations personnelles',
    ccpa_opt_out: 'votre demande d’opposition à la vente ou au partage de vos informations personnelles',
    unclassified: 'votre demande relative à vos données personnelles'
  },
  received: (request) => `Nous avons bien reçu ${request}. Merci de nous avoir contactés.`,
  handled: (request) => `Nous avons traité ${request}.`,
  acknowledgement: {
    nextStep:
      'Prochaine étape : avant de communiquer, de modifier ou d’effacer des données, nous devons nous assurer que la demande émane bien de vous. ' +
      'Nous allons vous envoyer un code à usage unique à l’adresse e-mail que nous avons enregistrée pour vous ; il vous suffira de répondre à ce message en indiquant le code. ' +
      'Si nous avons besoin d’autres informations, nous reviendrons vers vous.',
    noVerification: 'Vous n’avez pas besoin de justifier de votre identité pour cela.',
    deadline: {
      gdpr: (d) =>
        `Nous vous répondrons dans un délai d’un mois à compter de sa réception, soit au plus tard le ${d}. Si votre demande est particulièrement complexe, ` +
        'ce délai peut être prolongé de deux mois au maximum ; nous vous en informerions avant la fin du premier mois, en vous expliquant pourquoi.',
      ccpa: (d) =>
        `Nous vous répondrons dans un délai de 45 jours à compter de sa réception, soit au plus tard le ${d}. Si nous avons besoin de plus de temps, ` +
        'ce délai peut être prolongé une fois de 45 jours au maximum ; nous vous en informerions dans les 45 premiers jours, en vous expliquant pourquoi.',
      other: (d) => `Nous vous répondrons au plus tard le ${d}.`
    },
    optOutDeadline: (d) => `Nous y donnerons suite dans un délai de 15 jours ouvrables, soit au plus tard le ${d}.`,
    free: 'Le traitement de votre demande est gratuit.'
  },
  verification: {
    intro: 'Pour confirmer que cette demande émane bien de vous, veuillez utiliser ce code à usage unique :',
    expires: (at) => `Ce code est valable jusqu’au ${at}.`,
    reply: 'Il vous suffit de répondre à cet e-mail en indiquant le code.',
    ignore: 'Si vous n’avez fait aucune demande auprès de nous, ignorez simplement cet e-mail : sans le code, rien ne se passera. Nous ne vous demanderons jamais votre mot de passe.'
  },
  export: {
    ready: {
      access: 'La copie des données personnelles que nous détenons à votre sujet est prête.',
      portability: 'Vos données sont prêtes dans un format structuré, couramment utilisé et lisible par machine, que vous pouvez transmettre à un autre prestataire.',
      ccpa_know: 'Le relevé des informations personnelles que nous avons collectées à votre sujet est prêt.'
    },
    delivery:
      'Vous recevrez les données sous forme de fichier JSON, et vos commandes également sous forme de tableau CSV. Pour votre sécurité, nous ne joignons pas ces fichiers à cet e-mail : ' +
      'nous vous les transmettrons séparément par un moyen sécurisé.',
    pending: 'Nous rassemblons actuellement vos données et vous les transmettrons séparément, par un moyen sécurisé, dès qu’elles seront prêtes.'
  },
  erasure: {
    erased: 'Nous avons effacé vos données personnelles.',
    erasedFrom: {
      one: (n) => `Nous avons effacé vos données personnelles de ${n} fiche de contact.`,
      other: (n) => `Nous avons effacé vos données personnelles de ${n} fiches de contact.`
    },
    nothingLeft: 'Nous n’avons trouvé aucune donnée personnelle restant à effacer.',
    someKept: 'Certaines données n’ont pas été effacées, pour les raisons suivantes :',
    allKept: 'Nous n’avons pas encore pu effacer vos données personnelles, pour les raisons suivantes :',
    kept: {
      legal_hold: 'Une obligation légale de conservation (par exemple en matière fiscale et comptable) ou une procédure en cours nous impose de conserver certaines données.',
      open_order: 'Vous avez une commande en cours : nous avons besoin de vos coordonnées pour la mener à bien (livraison, facturation, retours).',
      protected: 'Certaines données sont liées à un compte utilisateur ou à notre entreprise et ne peuvent pas être effacées automatiquement ; notre équipe s’en charge manuellement.',
      failed: 'Un problème technique est survenu pour une partie des données. Nous relançons l’effacement et vous le confirmerons.'
    },
    keptOther: 'Un autre motif nous oblige à conserver certaines données pour le moment ; nous vous l’expliquerons volontiers sur demande.',
    afterwards: 'Dès qu’un motif aura disparu, nous effacerons également ces données, sans que vous ayez à nous recontacter. D’ici là, nous ne les utiliserons qu’à cette fin.'
  },
  rectification: {
    fields: (list) => `Nous avons corrigé les informations suivantes : ${list}.`,
    done: 'Nous avons corrigé vos données comme vous l’avez demandé.',
    followUp: 'Si quelque chose n’est toujours pas correct, répondez simplement à cet e-mail.',
    fieldNames: {
      name: 'nom',
      email: 'adresse e-mail',
      phone: 'numéro de téléphone',
      mobile: 'numéro de mobile',
      street: 'adresse',
      street2: 'complément d’adresse',
      zip: 'code postal',
      city: 'ville',
      state: 'région',
      country: 'pays',
      vat: 'numéro de TVA',
      company_name: 'nom de l’entreprise'
    }
  },
  restriction:
    'Nous avons limité le traitement de vos données personnelles. Désormais, nous nous contentons de les conserver ; nous ne les utiliserons autrement qu’avec votre consentement, ' +
    'pour la constatation, l’exercice ou la défense de droits en justice, ou pour protéger les droits d’autres personnes. Nous vous informerons avant de lever cette limitation.',
  objection:
    'Nous avons enregistré votre opposition (ou le retrait de votre consentement) et mis fin au traitement concerné, par exemple l’envoi d’e-mails publicitaires. ' +
    'Cela n’affecte pas la licéité du traitement effectué auparavant.',
  optOut: 'Nous avons enregistré votre demande. Nous ne vendons ni ne partageons d’informations personnelles ; votre choix reste néanmoins enregistré et sera respecté à l’avenir.',
  noData: [
    'Nous avons recherché dans nos systèmes des données correspondant aux informations de votre demande : nous ne détenons aucune donnée personnelle vous concernant.',
    'Votre demande est donc close.'
  ],
  extension: {
    notice: (d) => `Nous avons besoin de plus de temps pour traiter votre demande et prolongeons donc le délai de réponse jusqu’au ${d}.`,
    reason: (r) => `Motif : ${r}`,
    closing: 'Nous vous remercions de votre compréhension et reviendrons vers vous dès que votre demande aura été traitée, si possible plus tôt.'
  },
  denial: {
    intro: 'Nous ne sommes malheureusement pas en mesure de donner suite à votre demande, pour la raison suivante :',
    reasons: {
      identity_not_verified:
        'Nous n’avons pas pu vérifier avec suffisamment de certitude que la demande émane bien de vous. Pour protéger vos données, nous ne les communiquons, ne les modifions ou ne les effaçons qu’une fois votre identité confirmée.',
      agent_not_authorised: 'La demande a été présentée en votre nom par une autre personne, sans autorisation signée de votre part.',
      manifestly_unfounded: 'La demande est manifestement infondée.',
      excessive: 'La demande est excessive, notamment parce qu’elle a été répétée à de courts intervalles.',
      legal_obligation_to_retain: 'Des obligations légales de conservation, par exemple en matière fiscale, nous imposent de conserver ces données.',
      legal_claims: 'Ces données nous sont nécessaires à la constatation, à l’exercice ou à la défense de droits en justice.',
      rights_of_others: 'Y donner suite porterait atteinte aux droits et libertés d’autres personnes.',
      right_does_not_apply: 'Le droit invoqué ne s’applique pas au traitement concerné.'
    },
    detail: (d) => `Précisions : ${d}`,
    review: 'Si vous n’êtes pas d’accord avec cette décision ou souhaitez nous apporter des informations complémentaires, répondez simplement à cet e-mail : nous réexaminerons votre demande.',
    complaint:
      'Vous avez également le droit d’introduire une réclamation auprès d’une autorité de contrôle de la protection des données, notamment dans l’État membre de l’UE où vous résidez ' +
      'ou travaillez, et de former un recours juridictionnel (articles 12, paragraphe 4, 77 et 79 du RGPD).'
  }
}
