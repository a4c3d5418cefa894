import t from 'tap'
import { csvCell, toCsv } from '../src/rights/export-bundle.ts'

await t.test('a text a spreadsheet would run as a formula is quoted behind a single quote', (t) => {
  t.equal(csvCell('=HYPERLINK("http://evil.example","x")'), `"'=HYPERLINK(""http://evil.example"",""x"")"`)
  t.equal(csvCell('+1+cmd|\' /C calc\'!A0'), `"'+1+cmd|' /C calc'!A0"`)
  t.equal(csvCell('-2+3'), `"'-2+3"`)
  t.equal(csvCell('@SUM(A1:A9)'), `"'@SUM(A1:A9)"`)
  t.equal(csvCell('\t=1+1'), `"'\t=1+1"`)
  t.equal(csvCell('\r=1+1'), `"'\r=1+1"`)
  t.end()
})

await t.test('a number stays a number, a negative one too; a negative amount that arrived as text is neutralized', (t) => {
  t.equal(csvCell(-12.5), '-12.5')
  t.equal(csvCell(0), '0')
  t.equal(csvCell(42), '42')
  t.equal(csvCell('-12.5'), `"'-12.5"`)
  t.equal(csvCell(Number.NEGATIVE_INFINITY), `"'-Infinity"`, 'not a real amount: treated as text')
  t.end()
})

await t.test('ordinary texts are written as before: bare, or quoted when they hold a comma, a quote or a line break', (t) => {
  t.equal(csvCell('S00042'), 'S00042')
  t.equal(csvCell('2026-11-23T10:00:00.000Z'), '2026-11-23T10:00:00.000Z')
  t.equal(csvCell('a, b'), '"a, b"')
  t.equal(csvCell('say "hi"'), '"say ""hi"""')
  t.equal(csvCell('x=1'), 'x=1', 'only a formula character at the start counts')
  t.equal(csvCell(null), '')
  t.equal(csvCell(undefined), '')
  t.end()
})

await t.test('a whole file: header, rows, CRLF line ends', (t) => {
  const csv = toCsv(['order', 'amount_total'], [{ order: '=1+2', amount_total: -12.5 }, { order: 'S1', amount_total: 10 }])
  t.equal(csv, `order,amount_total\r\n"'=1+2",-12.5\r\nS1,10\r\n`)
  t.end()
})
