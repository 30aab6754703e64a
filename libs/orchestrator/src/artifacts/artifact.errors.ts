// Why a remote artifact or a role could not be had. Each is permanent for the deployment that
// named it: reported at plan time, naming node and operation, before any server is created.
export type ArtifactErrorCode = 'artifact_not_allowed' | 'artifact_fetch_failed' | 'artifact_too_large' | 'artifact_changed' | 'role_missing' | 'playbook_unreadable';

export class ArtifactError extends Error {
  override readonly name = 'ArtifactError';

  constructor(
    readonly code: ArtifactErrorCode,
    message: string,
  ) {
    super(message);
  }
}
