import type { Phrases } from './phrases.ts'

export const es: Phrases = {
  greeting: 'Hola:',
  signOff: 'Un cordial saludo,\nEl equipo de protección de datos',
  reference: (id) => `Su referencia: ${id}. Por favor, manténgala en el asunto cuando responda.`,
  subjects: {
    acknowledgement: 'Hemos recibido su solicitud',
    verification_code: 'Su código de verificación',
    completed: 'Su solicitud se ha completado',
    no_data: 'No tenemos datos personales suyos',
    extension: 'Necesitamos más tiempo para su solicitud',
    denied: 'Nuestra decisión sobre su solicitud'
  },
  requests: {
    access: 'su solicitud de acceso a sus datos personales',
    portability: 'su solicitud de portabilidad de sus datos personales',
    rectification: 'su solicitud de rectificación de sus datos personales',
    erasure: 'su solicitud de supresión de sus datos personales',
    restriction: 'su solicitud de limitación del tratamiento de sus datos personales',
    objection: 'su oposición al tratamiento de sus datos personales (o la retirada de su consentimiento)',
    ccpa_know: 'su solicitud para conocer qué información personal hemos recopilado sobre usted',
    ccpa_delete: 'su solicitud de eliminación de su información personal',
    ccpa_opt_out: 'su solicitud para que no vendamos ni compartamos su información personal',
    unclassified: 'su solicitud sobre sus datos personales'
  },
  received: (request) => `Hemos recibido ${request}. Gracias por ponerse en contacto con nosotros.`,
  handled: (request) => `Hemos tramitado ${request}.`,
  acknowledgement: {
    nextStep:
      'Próximo paso: antes de facilitar, modificar o suprimir cualquier dato, debemos asegurarnos de que la solicitud procede realmente de usted. ' +
      'Le enviaremos un código de un solo uso a la dirección de correo electrónico que tenemos registrada; basta con que responda a ese mensaje indicando el código. ' +
      'Si necesitamos algo más, se lo haremos saber.',
    noVerification: 'Para ello no necesita acreditar su identidad.',
    deadline: {
      gdpr: (d) =>
        `Le responderemos en el plazo de un mes desde su recepción, a más tardar el ${d}. Si su solicitud es especialmente compleja, este plazo puede prorrogarse ` +
        'otros dos meses como máximo; en ese caso se lo comunicaríamos dentro del primer mes, explicándole los motivos.',
      ccpa: (d) =>
        `Le responderemos en el plazo de 45 días desde su recepción, a más tardar el ${d}. Si necesitamos más tiempo, podemos prorrogar este plazo una sola vez, ` +
        'hasta 45 días más; se lo comunicaríamos dentro de los primeros 45 días, explicándole los motivos.',
      other: (d) => `Le responderemos a más tardar el ${d}.`
    },
    optOutDeadline: (d) => `La atenderemos en un plazo de 15 días hábiles, a más tardar el ${d}.`,
    free: 'La tramitación de su solicitud es gratuita.'
  },
  verification: {
    intro: 'Para confirmar que esta solicitud procede de usted, utilice este código de un solo uso:',
    expires: (at) => `El código es válido hasta el ${at}.`,
    reply: 'Basta con que responda a este correo indicando el código.',
    ignore: 'Si no nos ha enviado ninguna solicitud, ignore este correo: sin el código no ocurrirá nada. Nunca le pediremos su contraseña.'
  },
  export: {
    ready: {
      access: 'La copia de los datos personales que tenemos sobre usted está lista.',
      portability: 'Sus datos están listos en un formato estructurado, de uso común y lectura mecánica, que puede transmitir a otro proveedor.',
      ccpa_know: 'La relación de la información personal que hemos recopilado sobre usted está lista.'
    },
    delivery:
      'Recibirá los datos en un archivo JSON y, además, sus pedidos en una hoja de cálculo CSV. Por su seguridad, no adjuntamos los archivos a este correo: ' +
      'se los enviaremos por separado a través de un medio seguro.',
    pending: 'Estamos reuniendo sus datos y se los enviaremos por separado, a través de un medio seguro, en cuanto estén listos.'
  },
  erasure: {
    erased: 'Hemos suprimido sus datos personales.',
    erasedFrom: {
      one: (n) => `Hemos suprimido sus datos personales de ${n} ficha de contacto.`,
      other: (n) => `Hemos suprimido sus datos personales de ${n} fichas de contacto.`
    },
    nothingLeft: 'No hemos encontrado datos personales pendientes de suprimir.',
    someKept: 'Algunos datos no se han suprimido, por los siguientes motivos:',
    allKept: 'Todavía no hemos podido suprimir sus datos personales, por los siguientes motivos:',
    kept: {
      legal_hold: 'Una obligación legal de conservación (por ejemplo, en materia fiscal y contable) o un procedimiento en curso nos obliga a conservar determinados datos.',
      open_order: 'Tiene un pedido en curso: necesitamos sus datos para completarlo (entrega, facturación, devoluciones).',
      protected: 'Algunos datos están vinculados a una cuenta de usuario o a nuestra empresa y no pueden suprimirse automáticamente; nuestro equipo se encargará de ello manualmente.',
      failed: 'Se ha producido un problema técnico con una parte de los datos. Volveremos a intentar suprimirlos y se lo confirmaremos.'
    },
    keptOther: 'Otro motivo nos obliga a conservar ciertos datos por ahora; con gusto se lo explicaremos si lo solicita.',
    afterwards: 'En cuanto desaparezca un motivo, suprimiremos también esos datos, sin que tenga que volver a ponerse en contacto con nosotros. Mientras tanto, solo los utilizaremos para ese fin.'
  },
  rectification: {
    fields: (list) => `Hemos corregido los siguientes datos: ${list}.`,
    done: 'Hemos corregido sus datos tal como nos pidió.',
    followUp: 'Si algo sigue sin ser correcto, basta con que responda a este correo.',
    fieldNames: {
      name: 'nombre',
      email: 'dirección de correo electrónico',
      phone: 'número de teléfono',
      mobile: 'número de móvil',
      street: 'dirección',
      street2: 'información adicional de la dirección',
      zip: 'código postal',
      city: 'ciudad',
      state: 'provincia o región',
      country: 'país',
      vat: 'NIF-IVA',
      company_name: 'nombre de la empresa'
    }
  },
  restriction:
    'Hemos limitado el tratamiento de sus datos personales. A partir de ahora solo los conservaremos; únicamente los utilizaremos para otros fines con su consentimiento, ' +
    'para la formulación, el ejercicio o la defensa de reclamaciones, o para proteger los derechos de otras personas. Le informaremos antes de levantar la limitación.',
  objection:
    'Hemos registrado su oposición (o la retirada de su consentimiento) y hemos dejado de realizar el tratamiento afectado, por ejemplo el envío de correos publicitarios. ' +
    'Esto no afecta a la licitud del tratamiento realizado anteriormente.',
  optOut: 'Hemos registrado su solicitud. No vendemos ni compartimos información personal; aun así, su decisión queda registrada y se respetará en el futuro.',
  noData: ['Hemos buscado en nuestros sistemas datos relacionados con la información de su solicitud: no tenemos ningún dato personal suyo.', 'Por tanto, su solicitud queda cerrada.'],
  extension: {
    notice: (d) => `Necesitamos más tiempo para tramitar su solicitud, por lo que ampliamos el plazo de respuesta hasta el ${d}.`,
    reason: (r) => `Motivo: ${r}`,
    closing: 'Le agradecemos su comprensión. Nos pondremos en contacto con usted en cuanto hayamos tramitado su solicitud, si es posible antes de esa fecha.'
  },
  denial: {
    intro: 'Lamentablemente, no podemos atender su solicitud por el siguiente motivo:',
    reasons: {
      identity_not_verified:
        'No hemos podido comprobar con suficiente seguridad que la solicitud procede de usted. Para proteger sus datos, solo los facilitamos, modificamos o suprimimos una vez confirmada su identidad.',
      agent_not_authorised: 'La solicitud la presentó otra persona en su nombre sin una autorización firmada por usted.',
      manifestly_unfounded: 'La solicitud es manifiestamente infundada.',
      excessive: 'La solicitud es excesiva, en particular por haberse repetido en poco tiempo.',
      legal_obligation_to_retain: 'Obligaciones legales de conservación, por ejemplo en materia fiscal, nos exigen conservar estos datos.',
      legal_claims: 'Necesitamos estos datos para la formulación, el ejercicio o la defensa de reclamaciones.',
      rights_of_others: 'Atenderla afectaría negativamente a los derechos y libertades de otras personas.',
      right_does_not_apply: 'El derecho ejercido no se aplica al tratamiento en cuestión.'
    },
    detail: (d) => `Más información: ${d}`,
    review: 'Si no está de acuerdo con esta decisión o desea aportarnos más información, responda a este correo y volveremos a examinar su solicitud.',
    complaint:
      'También tiene derecho a presentar una reclamación ante una autoridad de control de protección de datos, en particular en el Estado miembro de la UE en el que resida o trabaje, ' +
      'y a interponer un recurso judicial (artículos 12.4, 77 y 79 del RGPD).'
  }
}
