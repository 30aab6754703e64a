import { describe, expect, it } from 'vitest';
import { splitStatements } from './migrator';
import { migration003 } from './migrations/003-read-paths.migration';

describe('splitStatements', () => {
  it('splits at a `;` that ends a line and drops whole-line comments', () => {
    expect(splitStatements('-- a table\nCREATE TABLE a (x int);\nCREATE INDEX a_x ON a (x);\n')).toEqual(['CREATE TABLE a (x int)', 'CREATE INDEX a_x ON a (x)']);
  });

  it('keeps a $$ function body whole, with its own statements and comments', () => {
    const sql = 'CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  -- inside\n  PERFORM 1;\n  RETURN NULL;\nEND\n$$;\nSELECT 1;\n';
    expect(splitStatements(sql)).toEqual(['CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  -- inside\n  PERFORM 1;\n  RETURN NULL;\nEND\n$$', 'SELECT 1']);
  });

  it('gives migration 3 as whole statements: two functions, each body in one piece', () => {
    const statements = splitStatements(migration003.sql);
    const functions = statements.filter((s) => s.startsWith('CREATE FUNCTION'));
    expect(functions).toHaveLength(2);
    expect(functions.every((f) => f.endsWith('$$') && (f.match(/\$\$/g) ?? []).length === 2)).toBe(true);
    expect(statements.every((s) => !s.startsWith('--') && !s.endsWith(';'))).toBe(true);
  });
});
