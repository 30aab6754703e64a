// Ansible's `!unsafe`: a value that is data, never a template. Values from a request (operation
// inputs, template properties), registered results, facts and loop items are held in a Unsafe box
// where variables are stored; a Scope hands the value out as it is, at any depth, and notes that
// data was read (a condition written with {{ }} around data is then refused).

export class Unsafe {
  constructor(readonly value: unknown) {}
}

/** Boxes a value as data (idempotent). */
export function unsafe(value: unknown): Unsafe {
  return value instanceof Unsafe ? value : new Unsafe(value);
}

/** Every value of a variable layer boxed as data. */
export function unsafeLayer(vars: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, unsafe(v)]));
}

/** The value inside a box, or the value itself. */
export function unbox(value: unknown): unknown {
  return value instanceof Unsafe ? value.value : value;
}
