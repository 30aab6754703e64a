// Public door of libs/openstack (STYLE.md rule 2). Named exports only.
export {};
