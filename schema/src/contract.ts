import {
  Kind,
  parse,
  print,
  type DirectiveNode,
  type DefinitionNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
  type TypeNode,
} from 'graphql';

/** What kind of gap between a candidate subgraph and the contract a finding reports. */
export type FindingKind =
  | 'unreadable schema'
  | 'missing type'
  | 'wrong kind'
  | 'missing field'
  | 'wrong type'
  | 'missing argument'
  | 'wrong argument type'
  | 'extra required argument'
  | 'missing input field'
  | 'wrong input field type'
  | 'extra required input field'
  | 'missing enum value'
  | 'missing union member'
  | 'missing interface'
  | 'missing key'
  | 'wrong key';

export interface ContractFinding {
  /** Where: `Type`, `Type.field`, `Type.field(arg)` or `Enum.VALUE`. */
  path: string;
  kind: FindingKind;
  /** Readable explanation, zh-CN. */
  zh: string;
  /** The same in English. */
  en: string;
}

export interface ContractReport {
  /** True when nothing the contract asks for is missing or different. */
  ok: boolean;
  findings: ContractFinding[];
}

/** One line per finding, zh-CN first with English beside: `Type.field: 缺少字段 (missing field)`. */
export function formatFinding(finding: ContractFinding): string {
  return `${finding.path}: ${finding.zh} (${finding.en})`;
}

/**
 * Checks a candidate subgraph's SDL (what it answers to `_service { sdl }`) against the
 * contract SDL. Everything the contract declares must be served so that any query the
 * supergraph plans against the contract also works against the candidate:
 *
 * - every type with its kind, every @key, every field, argument, enum value, union member
 *   and implemented interface;
 * - an output field's type equal to the contract's, or a stricter (non-null) form of it —
 *   a client expecting maybe-null is not surprised by never-null;
 * - arguments and input fields of exactly the contract's type (the gateway sends what the
 *   contract allows, no more, no less);
 * - extra fields and types are fine; extra arguments and input fields only when nullable,
 *   since the gateway never sends them.
 *
 * Pure: parses both SDLs (federation directives need no definitions) and never throws.
 */
export function checkContract(candidateSdl: string, contractSdl: string): ContractReport {
  const contract = readTypes(contractSdl);
  let candidate: Map<string, TypeShape>;
  try {
    candidate = readTypes(candidateSdl);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return report([finding('(schema)', 'unreadable schema', `SDL 无法解析：${reason}`, `the SDL does not parse: ${reason}`)]);
  }
  const findings: ContractFinding[] = [];
  for (const [name, wanted] of contract) {
    const served = candidate.get(name);
    if (!served) {
      findings.push(finding(name, 'missing type', `缺少类型 ${wanted.kind} ${name}`, `missing ${wanted.kind} type ${name}`));
      continue;
    }
    if (served.kind !== wanted.kind) {
      findings.push(finding(name, 'wrong kind', `应为 ${wanted.kind}，实为 ${served.kind}`, `should be ${wanted.kind}, is ${served.kind}`));
      continue;
    }
    findings.push(...compareType(name, wanted, served));
  }
  return report(findings);
}

type ShapeKind = 'object' | 'interface' | 'input' | 'enum' | 'union' | 'scalar';

interface FieldShape {
  type: TypeNode;
  args: Map<string, TypeNode>;
}

interface TypeShape {
  kind: ShapeKind;
  fields: Map<string, FieldShape>;
  /** Input fields, by name. */
  inputs: Map<string, TypeNode>;
  values: Set<string>;
  members: Set<string>;
  interfaces: Set<string>;
  /** `fields` of each @key, whitespace-normalised. */
  keys: Set<string>;
}

function compareType(name: string, wanted: TypeShape, served: TypeShape): ContractFinding[] {
  const findings: ContractFinding[] = [];
  for (const key of wanted.keys) {
    if (served.keys.has(key)) continue;
    const has = [...served.keys].map((k) => `@key(fields: "${k}")`).join(', ');
    findings.push(
      served.keys.size
        ? finding(name, 'wrong key', `应有 @key(fields: "${key}")，实为 ${has}`, `should have @key(fields: "${key}"), has ${has}`)
        : finding(name, 'missing key', `缺少 @key(fields: "${key}")`, `missing @key(fields: "${key}")`),
    );
  }
  for (const iface of wanted.interfaces) {
    if (!served.interfaces.has(iface)) findings.push(finding(name, 'missing interface', `未实现接口 ${iface}`, `does not implement ${iface}`));
  }
  for (const value of wanted.values) {
    if (!served.values.has(value)) findings.push(finding(`${name}.${value}`, 'missing enum value', '缺少枚举值', 'missing enum value'));
  }
  for (const member of wanted.members) {
    if (!served.members.has(member)) findings.push(finding(name, 'missing union member', `联合类型缺少 ${member}`, `union lacks ${member}`));
  }
  for (const [fieldName, field] of wanted.fields) {
    const path = `${name}.${fieldName}`;
    const got = served.fields.get(fieldName);
    if (!got) {
      findings.push(finding(path, 'missing field', `缺少字段（应为 ${print(field.type)}）`, `missing field (should be ${print(field.type)})`));
      continue;
    }
    if (!outputCompatible(field.type, got.type)) {
      findings.push(wrongType(path, 'wrong type', field.type, got.type, '或其非空形式', ' or a non-null form of it'));
    }
    findings.push(...compareInputs(path, field.args, got.args, 'argument'));
  }
  findings.push(...compareInputs(name, wanted.inputs, served.inputs, 'input field'));
  return findings;
}

/** Arguments (`Type.field(arg)`) or input fields (`Input.field`): exact types, extras nullable. */
function compareInputs(owner: string, wanted: Map<string, TypeNode>, served: Map<string, TypeNode>, what: 'argument' | 'input field'): ContractFinding[] {
  const findings: ContractFinding[] = [];
  const path = (n: string) => (what === 'argument' ? `${owner}(${n})` : `${owner}.${n}`);
  const zh = what === 'argument' ? '参数' : '输入字段';
  for (const [name, type] of wanted) {
    const got = served.get(name);
    if (!got) {
      findings.push(finding(path(name), `missing ${what}`, `缺少${zh}（应为 ${print(type)}）`, `missing ${what} (should be ${print(type)})`));
    } else if (print(got) !== print(type)) {
      findings.push(wrongType(path(name), what === 'argument' ? 'wrong argument type' : 'wrong input field type', type, got, '', ''));
    }
  }
  for (const [name, type] of served) {
    if (!wanted.has(name) && type.kind === Kind.NON_NULL_TYPE) {
      findings.push(
        finding(path(name), `extra required ${what}`, `契约没有的${zh}必须可为空（实为 ${print(type)}）`, `an ${what} the contract lacks must be nullable (is ${print(type)})`),
      );
    }
  }
  return findings;
}

function wrongType(path: string, kind: FindingKind, wanted: TypeNode, got: TypeNode, zhMore: string, enMore: string): ContractFinding {
  return finding(path, kind, `类型应为 ${print(wanted)}${zhMore}，实为 ${print(got)}`, `type should be ${print(wanted)}${enMore}, is ${print(got)}`);
}

/** The served type equals the wanted one, or is a non-null form of it at any depth. */
function outputCompatible(wanted: TypeNode, served: TypeNode): boolean {
  if (served.kind === Kind.NON_NULL_TYPE) {
    return outputCompatible(wanted.kind === Kind.NON_NULL_TYPE ? wanted.type : wanted, served.type);
  }
  if (wanted.kind === Kind.NON_NULL_TYPE) return false;
  if (wanted.kind === Kind.LIST_TYPE || served.kind === Kind.LIST_TYPE) {
    return wanted.kind === Kind.LIST_TYPE && served.kind === Kind.LIST_TYPE && outputCompatible(wanted.type, served.type);
  }
  return wanted.name.value === served.name.value;
}

/** The types an SDL declares, with `extend type` merged into its type (subgraph SDLs use both). */
function readTypes(sdl: string): Map<string, TypeShape> {
  const types = new Map<string, TypeShape>();
  for (const def of parse(sdl, { noLocation: true }).definitions) {
    const kind = shapeKind(def);
    if (!kind || !('name' in def) || !def.name) continue;
    const name = def.name.value;
    const shape = types.get(name) ?? emptyShape(kind);
    types.set(name, shape);
    if ('fields' in def && def.fields) {
      for (const field of def.fields) {
        if (field.kind === Kind.FIELD_DEFINITION) shape.fields.set(field.name.value, fieldShape(field));
        else shape.inputs.set(field.name.value, field.type);
      }
    }
    if ('values' in def && def.values) for (const v of def.values) shape.values.add(v.name.value);
    if ('types' in def && def.types) for (const t of def.types) shape.members.add(t.name.value);
    if ('interfaces' in def && def.interfaces) for (const i of def.interfaces) shape.interfaces.add(i.name.value);
    if ('directives' in def && def.directives) for (const key of keysOf(def.directives)) shape.keys.add(key);
  }
  return types;
}

function shapeKind(def: DefinitionNode): ShapeKind | null {
  switch (def.kind) {
    case Kind.OBJECT_TYPE_DEFINITION:
    case Kind.OBJECT_TYPE_EXTENSION:
      return 'object';
    case Kind.INTERFACE_TYPE_DEFINITION:
    case Kind.INTERFACE_TYPE_EXTENSION:
      return 'interface';
    case Kind.INPUT_OBJECT_TYPE_DEFINITION:
    case Kind.INPUT_OBJECT_TYPE_EXTENSION:
      return 'input';
    case Kind.ENUM_TYPE_DEFINITION:
    case Kind.ENUM_TYPE_EXTENSION:
      return 'enum';
    case Kind.UNION_TYPE_DEFINITION:
    case Kind.UNION_TYPE_EXTENSION:
      return 'union';
    case Kind.SCALAR_TYPE_DEFINITION:
    case Kind.SCALAR_TYPE_EXTENSION:
      return 'scalar';
    default:
      return null;
  }
}

function emptyShape(kind: ShapeKind): TypeShape {
  return { kind, fields: new Map(), inputs: new Map(), values: new Set(), members: new Set(), interfaces: new Set(), keys: new Set() };
}

function fieldShape(field: FieldDefinitionNode): FieldShape {
  return { type: field.type, args: new Map((field.arguments ?? []).map((a: InputValueDefinitionNode) => [a.name.value, a.type])) };
}

/** `@key(fields: "communityId id")` → `communityId id`; federation allows any spacing (and the namespaced name when not imported). */
function keysOf(directives: readonly DirectiveNode[]): string[] {
  return directives
    .filter((d) => d.name.value === 'key' || d.name.value === 'federation__key')
    .map((d) => d.arguments?.find((a) => a.name.value === 'fields')?.value)
    .filter((v) => v?.kind === Kind.STRING)
    .map((v) => (v as { value: string }).value.replace(/[\s,]+/g, ' ').trim());
}

function finding(path: string, kind: FindingKind, zh: string, en: string): ContractFinding {
  return { path, kind, zh, en };
}

function report(findings: ContractFinding[]): ContractReport {
  return { ok: findings.length === 0, findings };
}
