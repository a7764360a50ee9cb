import { describe, expect, it } from 'vitest';
import { createRedactor, ibanValid, knownPiiOfCustomer, luhnValid, placeholder, type KnownPii } from './redact.js';

const ada: KnownPii = knownPiiOfCustomer({
  name: 'Ada Lovelace',
  email: 'ada.lovelace@example.com',
  phone: '+447700900123',
  shippingAddress: { line1: '12 Analytical Row', line2: 'Flat 3', city: 'London', postalCode: 'N1 9GU' },
});

const plain = createRedactor();
const known = createRedactor({ known: ada, keep: ['ord-2026-0001'] });

describe('luhnValid', () => {
  it.each([
    '4111111111111111', // Visa
    '4242424242424242',
    '4000056655665556',
    '5555555555554444', // Mastercard
    '2223003122003222',
    '378282246310005', // Amex (15)
    '6011111111111117', // Discover
    '3530111333300000', // JCB
    '4222222222222', // 13 digits
    '4111111111111111110', // 19 digits
  ])('accepts %s', (digits) => {
    expect(luhnValid(digits)).toBe(true);
  });

  it.each(['4111111111111112', '4242424242424241', '1234567812345678', '378282246310006', '', '41111111x1111111'])('rejects %j', (digits) => {
    expect(luhnValid(digits)).toBe(false);
  });
});

describe('cards', () => {
  it.each([
    ['4111111111111111', '[CARD]'],
    ['card 4111 1111 1111 1111 declined', 'card [CARD] declined'],
    ['card 4111-1111-1111-1111 declined', 'card [CARD] declined'],
    ['amex 3782 822463 10005', 'amex [CARD]'],
    ['pan=5555555555554444;', 'pan=[CARD];'],
    ['visa13 4222222222222.', 'visa13 [CARD].'],
    ['19 digits 4111111111111111110', '19 digits [CARD]'],
    ['"number":"4000 0566 5566 5556"', '"number":"[CARD]"'],
    ['card 4111 1111 1111 1111 2026', 'card [CARD] 2026'],
    ['exp 2026 4242 4242 4242 4242', 'exp 2026 [CARD]'],
  ])('redacts Luhn-valid runs: %j', (input, expected) => {
    expect(plain.text(input)).toBe(expected);
  });

  it.each([
    'order 4111111111111112 (fails Luhn)',
    'tracking 1234 5678 1234 5678',
    'account 123456789012 in eu-west-1',
    'amount 4200 cents, 3 attempts, HTTP 503',
    'a 20-digit reference 12345678901234567890',
    'short 4111 1111 1111',
  ])('keeps digit runs that are not cards: %j', (input) => {
    expect(plain.text(input)).toBe(input);
  });
});

describe('emails', () => {
  it.each([
    ['mail ada.lovelace@example.com now', 'mail [EMAIL] now'],
    ['JSMITH@EXAMPLE.COM', '[EMAIL]'],
    ['zoe.obrien+shop@mail.example.ie,', '[EMAIL],'],
    ['<ada@example.co.uk>', '<[EMAIL]>'],
    ['mailto:ada@example.com', 'mailto:[EMAIL]'],
    ['?email=ada.lovelace%40example.com&x=1', '?email=[EMAIL]&x=1'],
    ['"email":"h_mueller-1@beispiel.de"', '"email":"[EMAIL]"'],
  ])('redacts %j', (input, expected) => {
    expect(plain.text(input)).toBe(expected);
  });

  it('keeps things that only look a little like emails', () => {
    expect(plain.text('user@localhost and @mention and a@b')).toBe('user@localhost and @mention and a@b');
  });
});

describe('phones', () => {
  it.each([
    '+447700900123',
    '+44 7700 900123',
    '+44 (0)20 7946 0958',
    '+1 (415) 555-2671',
    '+1-415-555-2671',
    '+33 6 12 34 56 78',
    '+49 30 123456789',
    '0044 7700 900123',
    '07700 900123',
    '07700900123',
    '(020) 7946 0958',
    '020 7946 0958',
    '06 12 34 56 78',
    '06.12.34.56.78',
    '030 123456789',
    '(415) 555-2671',
    '415-555-2671',
    '415.555.2671',
    '415 555 2671',
    '1-800-555-0199',
  ])('redacts %s', (phone) => {
    expect(plain.text(`call ${phone} today`)).toBe('call [PHONE] today');
  });

  it.each([
    'at 2026-11-22T10:05:00.000Z',
    'on 2026-11-22',
    'Task timed out after 30.00 seconds',
    'HTTP/1.1 503 Service Unavailable',
    '@aws-sdk/client-bedrock-runtime 3.1163.0',
    'epoch 1732262400',
    'port 4010, pid 12345',
    'sku BOOK-001 x 2',
    'retry 1 of 6 after 2.5 s',
    '/var/task/index.mjs:10:11',
    'exp 12/29',
  ])('keeps %j', (input) => {
    expect(plain.text(input)).toBe(input);
  });
});

describe('known values', () => {
  it.each([
    ['Deliver to Ada Lovelace', 'Deliver to [NAME]'],
    ['DELIVER TO ADA LOVELACE', 'DELIVER TO [NAME]'],
    ['dear ada,', 'dear [NAME],'],
    ["Lovelace's parcel", "[NAME]'s parcel"],
    ['name=Ada+Lovelace&x', 'name=[NAME]&x'],
    ['name=Ada%20Lovelace', 'name=[NAME]'],
    ['Lovelace, Ada', '[NAME], [NAME]'],
    ['12 Analytical Row, Flat 3, London N1 9GU', '[ADDRESS], [ADDRESS], [ADDRESS] [POSTCODE]'],
    ['12   ANALYTICAL   ROW', '[ADDRESS]'],
    ['on Analytical Row', 'on [ADDRESS]'],
    ['postcode n19gu / N1-9GU / n1 9gu', 'postcode [POSTCODE] / [POSTCODE] / [POSTCODE]'],
    ['from london', 'from [ADDRESS]'],
    ['sms 07700 900123 and 7700900123 and 0044 7700 900 123', 'sms [PHONE] and [PHONE] and [PHONE]'],
  ])('redacts %j', (input, expected) => {
    expect(known.text(input)).toBe(expected);
  });

  it('needs word boundaries: parts inside other words stay', () => {
    expect(known.text('Adapter metadata Canada Londoner')).toBe('Adapter metadata Canada Londoner');
  });

  it('redacts hyphenated and apostrophed names piece by piece, accents and case included', () => {
    const r = createRedactor({ known: { names: ["Hans-Peter Müller", "Zoë O'Brien", 'José María de la Cruz'] } });
    expect(r.text('HANS-PETER MÜLLER; hans müller; peter; MÜLLER')).toBe('[NAME]; [NAME] [NAME]; [NAME]; [NAME]');
    expect(r.text("zoë o'brien, Brien, ZOË")).toBe('[NAME], [NAME], [NAME]');
    expect(r.text('José María de la Cruz, cruz, maría')).toBe('[NAME], [NAME], [NAME]');
    // Particles alone identify nobody.
    expect(r.text('de la')).toBe('de la');
  });

  it('keeps allow-listed strings even when they look like data', () => {
    const r = createRedactor({ keep: ['ord-4111111111111111'], known: { names: ['Ord'] } });
    expect(r.text('order ord-4111111111111111 failed')).toBe('order ord-4111111111111111 failed');
  });

  it('ignores known values too short to match safely', () => {
    const r = createRedactor({ known: { names: ['A B'], postalCodes: ['1'], phones: ['123'], emails: ['a'] } });
    expect(r.text('A B 1 123 a')).toBe('[NAME] 1 123 a');
  });
});

describe('secrets, IBANs, IPs, CVCs', () => {
  it.each([
    ['key sk_live_51HxYzAbCdEf0123', 'key [SECRET]'],
    ['rk_test_abcdef123456', '[SECRET]'],
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc', 'Authorization: Bearer [SECRET]'],
    ['AKIAIOSFODNN7EXAMPLE', '[SECRET]'],
    ['password=hunter22&user=x', 'password=[SECRET]&user=x'],
    ['"api_key": "abc123def"', '"api_key": "[SECRET]"'],
    ['IBAN GB82 WEST 1234 5698 7654 32.', 'IBAN [IBAN].'],
    ['DE89370400440532013000', '[IBAN]'],
    ['from 203.0.113.7:443', 'from [IP]:443'],
    ['cvc 123 cvv2: 4567 CSC=999', 'cvc [CVC] cvv2: [CVC] CSC=[CVC]'],
  ])('redacts %j', (input, expected) => {
    expect(plain.text(input)).toBe(expected);
  });

  it('checks IBANs with mod 97', () => {
    expect(ibanValid('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(ibanValid('GB82 WEST 1234 5698 7654 33')).toBe(false);
    expect(plain.text('GB82 WEST 1234 5698 7654 33')).not.toContain('[IBAN]');
  });
});

describe('what is kept', () => {
  it('keeps ARNs, UUIDs, timestamps and Stripe ids', () => {
    const text =
      'arn:aws:states:eu-west-1:123456789012:execution:saga:ord-1 123e4567-e89b-12d3-a456-426614174000 ' +
      '2026-11-22T10:05:00.123Z pi_3MtwBwLkdIwHu7ix28a3tqPa req_8a7sd9f8a7s re_3MtwBw ch_1234567890123456';
    expect(plain.text(text)).toBe(text);
  });

  it('does not let private-use characters forge protected spans', () => {
    expect(plain.text('\uE000\uE100\uE001 ada@example.com')).toBe('??? [EMAIL]');
  });

  it('placeholder() names the kind', () => {
    expect(placeholder('CARD')).toBe('[CARD]');
  });
});

describe('JSON and nested values', () => {
  it('redacts JSON text value by value, escapes included', () => {
    const cause = JSON.stringify({ errorMessage: JSON.stringify({ email: 'ada\u0040example.com', name: 'Ada Lovelace', pan: 4111111111111111 }) });
    const escaped = cause.replace('@', '\\\\u0040');
    expect(escaped).toContain('\\\\u0040');
    const out = known.text(escaped);
    expect(JSON.parse(JSON.parse(out).errorMessage)).toEqual({ email: '[EMAIL]', name: '[NAME]', pan: '[CARD]' });
  });

  it('keeps JSON valid and long integers exact', () => {
    const out = plain.text('{"pan": 4111111111111111, "amount": 4200, "ref": 12345678901234567, "ok": true}');
    expect(JSON.parse(out)).toEqual({ pan: '[CARD]', amount: 4200, ref: '12345678901234567', ok: true });
  });

  it('drops unsafe integers it cannot read exactly', () => {
    expect(plain.value({ n: 41111111111111111111 })).toEqual({ n: '[NUMBER]' });
  });

  it('falls back to text redaction for JSON-looking text that does not parse', () => {
    expect(plain.text('{"email": "ada@example.com", truncated')).toBe('{"email": "[EMAIL]", truncated');
  });

  it('redacts nested objects, arrays and keys', () => {
    const value = {
      customer: { 'ada.lovelace@example.com': { phones: ['+44 7700 900123', 'n/a'] }, card: 4242424242424242 },
      notes: ['Ship to Ada Lovelace', { deep: { deeper: 'N1 9GU' } }],
      count: 3,
      flag: false,
      nothing: null,
    };
    expect(known.value(value)).toEqual({
      customer: { '[EMAIL]': { phones: ['[PHONE]', 'n/a'] }, card: '[CARD]' },
      notes: ['Ship to [NAME]', { deep: { deeper: '[POSTCODE]' } }],
      count: 3,
      flag: false,
      nothing: null,
    });
  });

  it('does not mutate its input', () => {
    const value = { email: 'ada@example.com' };
    known.value(value);
    expect(value).toEqual({ email: 'ada@example.com' });
  });

  it('redacts a 256 KiB cause quickly', () => {
    const line = 'Ada Lovelace 4111 1111 1111 1111 ada@example.com +44 7700 900123 12 Analytical Row N1 9GU lorem ipsum\n';
    const big = line.repeat(Math.ceil(262_144 / line.length));
    const started = performance.now();
    const out = known.text(big);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(out).not.toMatch(/Ada|4111|@example|7700|Analytical|N1 9GU/);
  });
});
