import type { Phrases } from './phrases.ts'

export const de: Phrases = {
  greeting: 'Guten Tag,',
  signOff: 'Mit freundlichen Grüßen\nIhr Datenschutz-Team',
  reference: (id) => `Ihre Vorgangsnummer: ${id}. Bitte lassen Sie sie im Betreff stehen, wenn Sie antworten.`,
  subjects: {
    acknowledgement: 'Wir haben Ihre Anfrage erhalten',
    verification_code: 'Ihr Bestätigungscode',
    completed: 'Ihre Anfrage ist erledigt',
    no_data: 'Wir speichern keine personenbezogenen Daten über Sie',
    extension: 'Wir benötigen mehr Zeit für Ihre Anfrage',
    denied: 'Unsere Entscheidung zu Ihrer Anfrage'
  },
  requests: {
    access: 'Ihren Antrag auf Auskunft über Ihre personenbezogenen Daten',
    portability: 'Ihren Antrag auf Herausgabe Ihrer Daten in einem übertragbaren Format',
    rectification: 'Ihren Antrag auf Berichtigung Ihrer Daten',
    erasure: 'Ihren Antrag auf Löschung Ihrer Daten',
    restriction: 'Ihren Antrag auf Einschränkung der Verarbeitung Ihrer Daten',
    objection: 'Ihren Widerspruch gegen die Verarbeitung Ihrer Daten bzw. den Widerruf Ihrer Einwilligung',
    ccpa_know: 'Ihre Anfrage, welche personenbezogenen Informationen wir über Sie erhoben haben',
    ccpa_delete: 'Ihren Antrag auf Löschung Ihrer personenbezogenen Informationen',
    ccpa_opt_out: 'Ihren Widerspruch gegen den Verkauf oder die Weitergabe Ihrer personenbezogenen Informationen',
    unclassified: 'Ihre Datenschutzanfrage'
  },
  // After "Guten Tag," a German letter continues in lower case.
  received: (request) => `wir haben ${request} erhalten. Vielen Dank für Ihre Nachricht.`,
  handled: (request) => `wir haben ${request} bearbeitet.`,
  acknowledgement: {
    nextStep:
      'Wie es weitergeht: Bevor wir Daten herausgeben, ändern oder löschen, prüfen wir, ob die Anfrage wirklich von Ihnen stammt. ' +
      'Dazu senden wir Ihnen einen Einmalcode an die E-Mail-Adresse, die bei uns für Sie hinterlegt ist; antworten Sie einfach mit diesem Code auf die Nachricht. ' +
      'Sollten wir weitere Angaben benötigen, melden wir uns bei Ihnen.',
    noVerification: 'Dafür müssen Sie Ihre Identität nicht nachweisen.',
    deadline: {
      gdpr: (d) =>
        `Wir antworten Ihnen innerhalb eines Monats nach Eingang, spätestens am ${d}. Ist Ihr Anliegen besonders umfangreich, kann sich diese Frist ` +
        'um bis zu zwei weitere Monate verlängern; das teilen wir Ihnen dann noch innerhalb des ersten Monats mit und nennen die Gründe.',
      ccpa: (d) =>
        `Wir antworten Ihnen innerhalb von 45 Tagen nach Eingang, spätestens am ${d}. Benötigen wir mehr Zeit, können wir diese Frist einmalig ` +
        'um bis zu 45 Tage verlängern; das teilen wir Ihnen dann innerhalb der ersten 45 Tage mit und nennen die Gründe.',
      other: (d) => `Wir antworten Ihnen spätestens am ${d}.`
    },
    optOutDeadline: (d) => `Wir setzen Ihren Wunsch innerhalb von 15 Arbeitstagen um, spätestens am ${d}.`,
    free: 'Die Bearbeitung ist für Sie kostenlos.'
  },
  verification: {
    intro: 'um zu bestätigen, dass die Anfrage von Ihnen stammt, verwenden Sie bitte diesen Einmalcode:',
    expires: (at) => `Der Code ist gültig bis ${at}.`,
    reply: 'Antworten Sie einfach mit dem Code auf diese E-Mail.',
    ignore: 'Falls Sie keine Anfrage an uns gestellt haben, ignorieren Sie diese E-Mail bitte – ohne den Code geschieht nichts. Wir fragen Sie niemals nach Ihrem Passwort.'
  },
  export: {
    ready: {
      access: 'Ihre Kopie der personenbezogenen Daten, die wir über Sie gespeichert haben, ist fertig.',
      portability: 'Ihre Daten liegen jetzt in einem strukturierten, gängigen und maschinenlesbaren Format bereit, das Sie an einen anderen Anbieter weitergeben können.',
      ccpa_know: 'Die Aufstellung der personenbezogenen Informationen, die wir über Sie erhoben haben, ist fertig.'
    },
    delivery:
      'Sie erhalten die Daten als JSON-Datei, Ihre Bestellungen zusätzlich als CSV-Tabelle. Zu Ihrer Sicherheit hängen wir die Dateien nicht an diese E-Mail an, ' +
      'sondern senden sie Ihnen gesondert auf sicherem Weg zu.',
    pending: 'Wir stellen Ihre Daten gerade zusammen und senden sie Ihnen gesondert auf sicherem Weg zu, sobald sie bereitstehen.'
  },
  erasure: {
    erased: 'Wir haben Ihre personenbezogenen Daten gelöscht.',
    erasedFrom: {
      one: (n) => `Wir haben Ihre personenbezogenen Daten aus ${n} Kontaktdatensatz gelöscht.`,
      other: (n) => `Wir haben Ihre personenbezogenen Daten aus ${n} Kontaktdatensätzen gelöscht.`
    },
    nothingLeft: 'Wir haben keine personenbezogenen Daten mehr gefunden, die zu löschen gewesen wären.',
    someKept: 'Einige Daten haben wir nicht gelöscht, und zwar aus folgenden Gründen:',
    allKept: 'Ihre personenbezogenen Daten konnten wir noch nicht löschen, und zwar aus folgenden Gründen:',
    kept: {
      legal_hold: 'Eine gesetzliche Aufbewahrungspflicht (etwa nach Steuer- und Handelsrecht) oder ein laufendes Verfahren verpflichtet uns, bestimmte Daten aufzubewahren.',
      open_order: 'Sie haben noch eine offene Bestellung: Ihre Angaben benötigen wir, um sie abzuwickeln (Lieferung, Rechnung, Rückgabe).',
      protected: 'Ein Teil der Daten ist mit einem Benutzerkonto oder mit unserem Unternehmen verknüpft und lässt sich nicht automatisch löschen; darum kümmert sich unser Team von Hand.',
      failed: 'Bei einem Teil der Daten ist ein technischer Fehler aufgetreten. Wir wiederholen die Löschung und bestätigen sie Ihnen.'
    },
    keptOther: 'Ein anderer Grund verpflichtet uns, bestimmte Daten vorerst aufzubewahren; auf Nachfrage erläutern wir ihn Ihnen gern.',
    afterwards: 'Sobald ein Grund entfällt, löschen wir auch diese Daten, ohne dass Sie sich erneut melden müssen. Bis dahin verwenden wir sie nur für diesen Zweck.'
  },
  rectification: {
    fields: (list) => `Wir haben folgende Angaben berichtigt: ${list}.`,
    done: 'Wir haben Ihre Daten wie gewünscht berichtigt.',
    followUp: 'Falls noch etwas nicht stimmt, antworten Sie einfach auf diese E-Mail.',
    fieldNames: {
      name: 'Name',
      email: 'E-Mail-Adresse',
      phone: 'Telefonnummer',
      mobile: 'Mobilnummer',
      street: 'Straße und Hausnummer',
      street2: 'Adresszusatz',
      zip: 'Postleitzahl',
      city: 'Ort',
      state: 'Bundesland bzw. Region',
      country: 'Land',
      vat: 'Umsatzsteuer-Identifikationsnummer',
      company_name: 'Firmenname'
    }
  },
  restriction:
    'Wir haben die Verarbeitung Ihrer personenbezogenen Daten eingeschränkt. Ab sofort speichern wir sie nur noch; darüber hinaus verwenden wir sie nur mit Ihrer Einwilligung, ' +
    'zur Geltendmachung, Ausübung oder Verteidigung von Rechtsansprüchen oder zum Schutz der Rechte anderer. Bevor wir die Einschränkung aufheben, informieren wir Sie.',
  objection:
    'Wir haben Ihren Widerspruch bzw. den Widerruf Ihrer Einwilligung vermerkt und die betroffene Verarbeitung, etwa Werbung per E-Mail, eingestellt. ' +
    'Die Rechtmäßigkeit der bis dahin erfolgten Verarbeitung bleibt davon unberührt.',
  optOut:
    'Wir haben Ihren Wunsch vermerkt. Wir verkaufen personenbezogene Informationen nicht und geben sie auch nicht weiter; Ihre Entscheidung bleibt trotzdem gespeichert und gilt auch künftig.',
  noData: ['wir haben in unseren Systemen nach Daten zu den Angaben in Ihrer Anfrage gesucht: Wir speichern keine personenbezogenen Daten über Sie.', 'Ihre Anfrage ist damit erledigt.'],
  extension: {
    notice: (d) => `wir benötigen für die Bearbeitung Ihrer Anfrage mehr Zeit und verlängern die Frist für unsere Antwort daher bis zum ${d}.`,
    reason: (r) => `Der Grund dafür: ${r}`,
    closing: 'Vielen Dank für Ihr Verständnis. Wir melden uns, sobald Ihre Anfrage erledigt ist – wenn möglich früher.'
  },
  denial: {
    intro: 'leider können wir Ihrer Anfrage nicht nachkommen, und zwar aus folgendem Grund:',
    reasons: {
      identity_not_verified:
        'Wir konnten nicht ausreichend sicher feststellen, dass die Anfrage von Ihnen stammt. Zum Schutz Ihrer Daten geben wir sie erst heraus, ändern oder löschen sie erst, wenn Ihre Identität bestätigt ist.',
      agent_not_authorised: 'Die Anfrage wurde von einer anderen Person in Ihrem Namen gestellt, ohne dass uns eine von Ihnen unterzeichnete Vollmacht vorliegt.',
      manifestly_unfounded: 'Die Anfrage ist offenkundig unbegründet.',
      excessive: 'Die Anfrage ist exzessiv, insbesondere weil sie in kurzer Zeit wiederholt gestellt wurde.',
      legal_obligation_to_retain: 'Gesetzliche Aufbewahrungspflichten, etwa nach Steuerrecht, verpflichten uns, diese Daten aufzubewahren.',
      legal_claims: 'Wir benötigen die Daten zur Geltendmachung, Ausübung oder Verteidigung von Rechtsansprüchen.',
      rights_of_others: 'Eine Antwort würde die Rechte und Freiheiten anderer Personen beeinträchtigen.',
      right_does_not_apply: 'Das geltend gemachte Recht erstreckt sich nicht auf die betreffende Verarbeitung.'
    },
    detail: (d) => `Weitere Erläuterung: ${d}`,
    review: 'Wenn Sie mit dieser Entscheidung nicht einverstanden sind oder uns weitere Informationen geben möchten, antworten Sie einfach auf diese E-Mail; wir prüfen Ihr Anliegen dann erneut.',
    complaint:
      'Sie haben außerdem das Recht, sich bei einer Datenschutz-Aufsichtsbehörde zu beschweren, insbesondere in dem EU-Mitgliedstaat, in dem Sie leben oder arbeiten, ' +
      'und einen gerichtlichen Rechtsbehelf einzulegen (Art. 12 Abs. 4, Art. 77 und 79 DSGVO).'
  }
}
