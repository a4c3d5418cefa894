/** Countries and states the simulator knows, with the ids and address formats of Odoo's base data. */
export interface Country {
  id: number
  code: string
  name: string
  phoneCode: number
  addressFormat: string
}

export interface CountryState {
  id: number
  countryId: number
  code: string
  name: string
}

const ZIP_CITY = '%(street)s\n%(street2)s\n%(zip)s %(city)s\n%(country_name)s'

export const COUNTRIES: readonly Country[] = [
  { id: 13, code: 'AT', name: 'Austria', phoneCode: 43, addressFormat: ZIP_CITY },
  { id: 20, code: 'BE', name: 'Belgium', phoneCode: 32, addressFormat: ZIP_CITY },
  { id: 57, code: 'DE', name: 'Germany', phoneCode: 49, addressFormat: ZIP_CITY },
  { id: 68, code: 'ES', name: 'Spain', phoneCode: 34, addressFormat: ZIP_CITY },
  { id: 75, code: 'FR', name: 'France', phoneCode: 33, addressFormat: ZIP_CITY },
  { id: 110, code: 'IT', name: 'Italy', phoneCode: 39, addressFormat: '%(street)s\n%(street2)s\n%(zip)s %(city)s %(state_code)s\n%(country_name)s' },
  { id: 165, code: 'NL', name: 'Netherlands', phoneCode: 31, addressFormat: ZIP_CITY },
  { id: 231, code: 'GB', name: 'United Kingdom', phoneCode: 44, addressFormat: '%(street)s\n%(street2)s\n%(city)s\n%(state_name)s\n%(zip)s\n%(country_name)s' },
  { id: 233, code: 'US', name: 'United States', phoneCode: 1, addressFormat: '%(street)s\n%(street2)s\n%(city)s %(state_code)s %(zip)s\n%(country_name)s' },
]

export const STATES: readonly CountryState[] = [
  { id: 13, countryId: 233, code: 'CA', name: 'California' },
  { id: 35, countryId: 233, code: 'NY', name: 'New York' },
  { id: 46, countryId: 233, code: 'TX', name: 'Texas' },
  { id: 51, countryId: 233, code: 'WA', name: 'Washington' },
]

export interface AddressParts {
  street: string
  street2: string
  zip: string
  city: string
  stateCode: string
  stateName: string
  countryName: string
}

/** res.partner._display_address(): the country's format with empty parts left blank. */
export function displayAddress(format: string, parts: AddressParts): string {
  const values: Record<string, string> = {
    street: parts.street,
    street2: parts.street2,
    zip: parts.zip,
    city: parts.city,
    state_code: parts.stateCode,
    state_name: parts.stateName,
    country_name: parts.countryName,
  }
  return format.replace(/%\((\w+)\)s/g, (_, key: string) => values[key] ?? '')
}

/**
 * contact_address_inline (Odoo 17+): the display address on one line. Odoo replaces every newline
 * run with ", " and strips commas at both ends but not spaces, which is why a redacted French
 * address reads " France".
 */
export function inlineAddress(displayed: string): string {
  return displayed.replace(/\n\s*/g, ', ').trim().replace(/^,+|,+$/g, '')
}
