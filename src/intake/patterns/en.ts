import { MEDIUM, near, STRONG } from './signal-patterns.ts'
import type { LanguagePatterns } from './signal-patterns.ts'

const ERASURE_VERBS = 'delete|deleting|deleted|deletion|erase|erasing|erasure|remove|removing|removal|wipe|purge|destroy'

export const en: LanguagePatterns = {
  stopWords: 'the and to of my i you your please is are with for me have this that would what do not be can it we our all from',
  signals: [
    {
      type: 'erasure',
      weight: STRONG,
      patterns: [near(ERASURE_VERBS, 'data|information|info|details|pii|records'), 'right to (?:be forgotten|erasure)|right of erasure|\\bforget me\\b']
    },
    { type: 'erasure', weight: MEDIUM, patterns: [near(ERASURE_VERBS, 'account|profile', 25)] },
    {
      type: 'access',
      weight: STRONG,
      patterns: [
        '\\b(?:subject )?access request\\b|\\bdsar\\b|\\bright (?:of|to) access\\b',
        near('access|copy|copies|overview|disclose|disclosure', 'my (?:personal )?(?:data|information)|personal (?:data|information)', 30),
        '\\bwhat (?:personal )?(?:data|information) (?:do )?you (?:have|hold|store|keep|process|collect)'
      ]
    },
    {
      type: 'rectification',
      weight: STRONG,
      patterns: [
        near(
          'correct|correcting|correction|update|updating|change|changing|amend\\w*|fix',
          'my (?:postal |email |e-mail |delivery |billing )?(?:address|name|surname|e-?mail|phone number|details|data|information|date of birth)',
          20
        ),
        '\\b(?:address|name|e-?mail|details|data|information) (?:is|are) (?:wrong|incorrect|outdated|inaccurate|out of date|not correct)'
      ]
    },
    { type: 'restriction', weight: STRONG, patterns: [near('restrict\\w*|limit\\w*|block\\w*|freez\\w*|suspend\\w*', 'processing|use of my|usage of my', 30)] },
    {
      type: 'objection',
      weight: STRONG,
      patterns: ['\\bi (?:hereby )?object\\b|\\bobjection\\b|\\bobject to (?:the )?(?:processing|use)', near('withdraw\\w*|revok\\w*|revoc\\w*|retract\\w*', 'consent', 20)]
    },
    {
      type: 'objection',
      weight: MEDIUM,
      patterns: ['\\bunsubscribe\\b|\\bstop (?:sending|emailing|contacting)\\b|\\bno (?:more|longer) (?:marketing|advertising|newsletters?)']
    },

    // The CCPA's own rights, in its own words: California's law, asked for in English. They decide the jurisdiction as well.
    {
      type: 'ccpa_opt_out',
      weight: STRONG,
      patterns: [
        "\\bdo(?: not|n'?t) (?:sell|share)\\b",
        '\\bopt[- ]?out of (?:the )?(?:sale|sales|selling|sharing)\\b',
        '\\bstop (?:selling|sharing)\\b',
        '\\b(?:sale|selling|sell) (?:of )?my (?:personal )?(?:data|information)',
        '\\blimit (?:the )?use of my sensitive',
        '\\b1798\\.1(?:20|21|35)\\b'
      ]
    },
    { type: 'ccpa_know', weight: STRONG, patterns: ['\\bright to know\\b', '\\b(?:categories|specific pieces) of (?:personal )?information\\b', '\\b1798\\.1(?:00|10|15)\\b'] },
    { type: 'ccpa_delete', weight: STRONG, patterns: ['\\bright to delete\\b', '\\b1798\\.105\\b'] }
  ]
}
