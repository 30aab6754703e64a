// Which parameters of a deployment are secret: the compiler's rule (`InputModel.secret`, i.e.
// isSecretInput of @lib/tosca) for declared inputs, the same rule on the name alone for values
// given without a declaration. The store encrypts these and the redactor hides their values.
import { isSecretInput, type ServiceTopology } from '@lib/tosca';

export function secretInputs(topology: Pick<ServiceTopology, 'inputs'>, parameters: Record<string, unknown>): string[] {
  const declared = Object.values(topology.inputs).filter((i) => i.secret).map((i) => i.name);
  const given = Object.keys(parameters).filter((k) => topology.inputs[k]?.secret ?? isSecretInput(k, undefined));
  return [...new Set([...declared, ...given])];
}
