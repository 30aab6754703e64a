// Public door of libs/orchestrator (STYLE.md rule 2). Named exports only.
export {};
