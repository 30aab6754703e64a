import { describe, expect, it } from 'vitest';
import { literalEval } from './literal-eval';
import { isTuple, pyRepr } from './python';

describe('literalEval', () => {
  it('reads what Python repr() writes back into values', () => {
    expect(literalEval("{'a': [1, -2.5, None], 'b': (True, 'x\\'y')}")?.value).toEqual({ a: [1, -2.5, null], b: [true, "x'y"] });
    expect(literalEval('{"k": [true, false, null]}')?.value).toEqual({ k: [true, false, null] });
    expect(literalEval('[]')?.value).toEqual([]);
    const t = literalEval("[('k', 'v')]")?.value as unknown[];
    expect(isTuple(t[0])).toBe(true);
    expect(pyRepr(t)).toBe("[('k', 'v')]");
  });

  it('refuses text that is not a literal', () => {
    expect(literalEval('[section]\nkey=1')).toBeUndefined();
    expect(literalEval('{{ x }}')).toBeUndefined();
    expect(literalEval('[1, 2')).toBeUndefined();
    expect(literalEval('[a]')).toBeUndefined();
  });
});
