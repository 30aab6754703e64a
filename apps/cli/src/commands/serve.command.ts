// Placeholder until the issue that owns `baton serve` lands; it fails loudly rather than pretend.
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('baton serve: not built yet\n');
  return 70;
}
