// Public door of libs/auth (STYLE.md rule 2). Named exports only.
export {};
