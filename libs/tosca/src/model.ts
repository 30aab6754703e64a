// The compiler's output model: the only shape the orchestrator sees (STYLE.md rule 9).
// Nothing here refers to YAML nodes or grammar classes; everything is plain JSON-serialisable
// data, so a plan can be persisted as it is and read back by another process.

/** Where a thing came from in the user's files. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** One problem found in a template. `code` is stable snake_case; wording lives in diagnostics.ts. */
export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  /** Location in the template, e.g. `topology_template.node_templates.server.properties.flavor`. */
  path: string;
  file: string;
  line: number;
  column: number;
  /** The type or definition that imposed the check (like ajv's schemaPath), when there is one. */
  rule?: string;
}

/** A value whose computation must wait for run time (TOSCA §4.5 get_attribute, §4.6 get_operation_output). */
export type DeferredExpression =
  | { $deferred: 'get_attribute'; entity: string; capabilityOrRequirement?: string; attribute: string; keys: Array<string | number> }
  | { $deferred: 'get_operation_output'; entity: string; interface: string; operation: string; output: string }
  | { $deferred: 'concat'; args: Value[] }
  | { $deferred: 'join'; list: Value[]; delimiter: string; prefix?: string; suffix?: string }
  | { $deferred: 'token'; string: Value; separators: string; index: number };

/** A resolved value: plain JSON, possibly containing deferred expressions anywhere inside. */
export type Value = null | boolean | number | string | Value[] | { [key: string]: Value } | DeferredExpression;

export interface ArtifactModel {
  name: string;
  type: string;
  file: string;
  repository?: string;
  /** Absolute URL or path the file resolves to, when the compiler could resolve it. */
  resolvedLocation?: string;
  deployPath?: string;
  properties: Record<string, Value>;
}

/** One operation of an interface, e.g. Standard.configure. */
export interface OperationModel {
  interface: string;
  /** The interface type, e.g. tosca.interfaces.node.lifecycle.Standard. */
  interfaceType: string;
  name: string;
  /** Primary implementation: an artifact name or a file path (usually an Ansible playbook). */
  implementation?: string;
  /** The resolved artifact behind `implementation` when it names one. */
  artifact?: ArtifactModel;
  dependencies: string[];
  inputs: Record<string, Value>;
  timeout?: number;
}

export interface CapabilityModel {
  name: string;
  type: string;
  /** The type and all its ancestors, most specific first. */
  types: string[];
  properties: Record<string, Value>;
  attributes: Record<string, Value>;
}

/** A requirement of a node template, resolved to its target. */
export interface RelationshipModel {
  /** The requirement name, e.g. `host`, `dependency`, `local_storage`. */
  requirement: string;
  /** Target node template name. */
  target: string;
  /** Target capability name on the target node. */
  capability: string;
  /** Relationship type, e.g. tosca.relationships.HostedOn, and its ancestors in `types`. */
  type: string;
  types: string[];
  properties: Record<string, Value>;
  operations: OperationModel[];
}

/**
 * A requirement with only a node_filter that no node template of the topology fulfils (TOSCA 1.3
 * §3.8.2): the orchestrator selects (or creates) a target matching the filter at run time.
 */
export interface DeferredRequirementModel {
  requirement: string;
  /** The capability type the target must offer ('' when the definition names none). */
  capability: string;
  /** The node type the target must be, when the requirement definition names one. */
  node?: string;
  relationship?: string;
  /** The node_filter as written (`properties` and `capabilities` lists of constraint clauses). */
  nodeFilter: Value;
}

export interface NodeTemplateModel {
  name: string;
  type: string;
  /** The type and all its ancestors, most specific first (for `type` filters that match parents). */
  types: string[];
  description?: string;
  properties: Record<string, Value>;
  /** Attribute defaults and assigned attribute values; the orchestrator fills in the rest. */
  attributes: Record<string, Value>;
  capabilities: Record<string, CapabilityModel>;
  requirements: RelationshipModel[];
  /** node_filter-only requirements left to the orchestrator; absent when there are none. */
  deferredRequirements?: DeferredRequirementModel[];
  /** Every operation of every node interface, in declaration order. */
  operations: OperationModel[];
  artifacts: Record<string, ArtifactModel>;
  /** From the `scalable` capability (or 1 when the node has none). */
  scaling: ScalingModel;
  source: SourceLocation;
}

export interface ScalingModel {
  /** The number of instances to make now: `count` (INDIGO), else `default_instances`, else min. */
  count: number;
  min: number;
  /** -1 for UNBOUNDED. */
  max: number;
  /** INDIGO `removal_list`: instance ids to remove first when scaling in. */
  removalList: string[];
}

export interface GroupModel {
  name: string;
  type: string;
  types: string[];
  members: string[];
  properties: Record<string, Value>;
}

export interface PolicyModel {
  name: string;
  type: string;
  types: string[];
  targets: string[];
  properties: Record<string, Value>;
}

export interface OutputModel {
  name: string;
  description?: string;
  /** Fully resolved when it contains no DeferredExpression. */
  value: Value;
  /**
   * Computed from a secret input (get_input of one, or a property computed from one, at any
   * depth of concat/join/token): the orchestrator never shows its value.
   */
  fromSecret?: true;
}

export interface InputModel {
  name: string;
  type: string;
  description?: string;
  required: boolean;
  /** The value used for this compile (given, coerced, or the default). */
  value?: Value;
  /** True for `type: password` or a secret-like name: store encrypted, never log or return. */
  secret: boolean;
}

/** The normalized topology: node templates with resolved properties (TOSCA §3.9). */
export interface ServiceTopology {
  toscaDefinitionsVersion: string;
  description?: string;
  metadata: Record<string, string>;
  inputs: Record<string, InputModel>;
  nodes: Record<string, NodeTemplateModel>;
  groups: Record<string, GroupModel>;
  policies: PolicyModel[];
  outputs: Record<string, OutputModel>;
}

/** One concrete instance of a node template: `<template>_<index>`, e.g. `server_0`. */
export interface NodeInstance {
  id: string;
  template: string;
  type: string;
  index: number;
}

/** `from` depends on `to`: `to` must be done before `from` starts. */
export interface InstanceEdge {
  from: string;
  to: string;
  relationship: string;
  requirement: string;
}

/** The instance plan: what the orchestrator provisions and configures, and in which order. */
export interface InstancePlan {
  nodes: NodeInstance[];
  edges: InstanceEdge[];
  /** Topological levels: every instance of level n depends only on instances of levels < n. */
  levels: string[][];
  /** Set when the graph has a cycle: the instance ids along it, first repeated at the end. */
  cycle?: string[];
  outputs: Record<string, Value>;
}

export interface CompileResult {
  /** Absent when a phase found errors. */
  topology?: ServiceTopology;
  plan?: InstancePlan;
  diagnostics: Diagnostic[];
}
