// Placeholder until the issue that owns `baton cloud-sim` lands; it fails loudly rather than pretend.
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('baton cloud-sim: not built yet\n');
  return 70;
}
