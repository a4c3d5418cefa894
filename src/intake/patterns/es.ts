import { MEDIUM, near, STRONG } from './signal-patterns.ts'
import type { LanguagePatterns } from './signal-patterns.ts'

const ERASURE_VERBS = 'borr\\w*|elimin\\w*|supresion|suprim\\w*|cancelacion|destru\\w*'

export const es: LanguagePatterns = {
  stopWords: 'yo y el la los las de mis mi usted ustedes por para con es son una un que del al sus favor gracias no saludos estimados nos',
  signals: [
    { type: 'erasure', weight: STRONG, patterns: [near(ERASURE_VERBS, 'datos|informacion|registros', 50), 'derecho (?:al olvido|de supresion|de cancelacion)'] },
    { type: 'erasure', weight: MEDIUM, patterns: [near(ERASURE_VERBS, 'cuenta|perfil', 30)] },
    {
      type: 'access',
      weight: STRONG,
      patterns: [
        '\\bderecho (?:de|al) acceso|\\bsolicitud de acceso',
        near('acceso|acceder|copia', 'datos|informacion', 30),
        '\\bque datos (?:personales )?(?:tienen|tiene|guardan|almacenan|conservan|tratan|poseen)'
      ]
    },
    {
      type: 'rectification',
      weight: STRONG,
      patterns: [
        near('corr(?:eg|ij)\\w*|correccion|modific\\w*|actualiz\\w*|cambi\\w*', 'direccion|nombre|correo|email|e-mail|datos|informacion|telefono', 30),
        '\\b(?:direccion|nombre|datos) (?:es|son|esta|estan) (?:incorrect[oa]s?|erroneos?|equivocad[oa]s?|desactualizad[oa]s?)'
      ]
    },
    { type: 'restriction', weight: STRONG, patterns: [near('limit\\w*|restring\\w*|restricc\\w*|bloque\\w*', 'tratamiento|uso|datos', 30)] },
    { type: 'objection', weight: STRONG, patterns: ['\\boposicion\\b|\\bme opongo\\b|\\boponerme\\b', near('retir\\w*|revoc\\w*|revoqu\\w*', 'consentimiento', 20)] },
    { type: 'objection', weight: MEDIUM, patterns: ['\\bdar(?:me|se)? de baja\\b|\\bno (?:quiero )?recibir (?:mas )?(?:publicidad|correos|newsletter)'] }
  ]
}
