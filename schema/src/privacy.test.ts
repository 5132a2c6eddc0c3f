import { Kind, parse, type DefinitionNode, type FieldDefinitionNode, type InputValueDefinitionNode, type TypeNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { readSupergraph } from './index.js';

/**
 * Privacy checks on the composed supergraph — everything any client of the federation can
 * reach. Biometric data (face images, templates, feature vectors, fingerprints…) is never
 * stored or exposed, so nothing in the graph may even be named for it; access events name
 * their subject only by a pseudonym.
 */

const BIOMETRIC = /face.?(image|photo|picture|template|feature|embedding|vector|print|data)|biometric|fingerprint|finger.?print|iris|retina|photo|picture|image|embedding|template|feature.?vector|faceprint|voiceprint|portrait|avatar/i;

interface Named {
  /** e.g. `AccessEvent.subjectPseudonym`, `Mutation.recordAccessEvent(event)`, `AccessEventInput.occurredAt`. */
  path: string;
  name: string;
}

const document = parse(readSupergraph());

function namesIn(definitions: readonly DefinitionNode[]): Named[] {
  const out: Named[] = [];
  for (const d of definitions) {
    if (!('name' in d) || !d.name) continue;
    const type = d.name.value;
    if (type.startsWith('join__') || type.startsWith('link__')) continue;
    out.push({ path: type, name: type });
    const fields = ('fields' in d ? d.fields : undefined) as ReadonlyArray<FieldDefinitionNode | InputValueDefinitionNode> | undefined;
    for (const f of fields ?? []) {
      out.push({ path: `${type}.${f.name.value}`, name: f.name.value });
      for (const a of ('arguments' in f ? f.arguments : undefined) ?? []) out.push({ path: `${type}.${f.name.value}(${a.name.value})`, name: a.name.value });
    }
  }
  return out;
}

function typeDefinition(name: string) {
  const found = document.definitions.find((d) => 'name' in d && d.name?.value === name);
  if (!found) throw new Error(`${name} is not in the supergraph`);
  return found;
}

function fieldsOf(name: string): Map<string, string> {
  const d = typeDefinition(name);
  const fields = ('fields' in d ? d.fields : []) as ReadonlyArray<FieldDefinitionNode | InputValueDefinitionNode>;
  return new Map(fields.map((f) => [f.name.value, printType(f.type)]));
}

function printType(t: TypeNode): string {
  if (t.kind === Kind.NON_NULL_TYPE) return `${printType(t.type)}!`;
  if (t.kind === Kind.LIST_TYPE) return `[${printType(t.type)}]`;
  return t.name.value;
}

describe('privacy of the supergraph', () => {
  const names = namesIn(document.definitions);

  it('is checked against the real schema (the walk finds the security types)', () => {
    expect(names.map((n) => n.path)).toEqual(expect.arrayContaining(['AccessEvent.subjectPseudonym', 'Mutation.recordAccessEvent(event)', 'AccessEventInput.credentialHolderId']));
  });

  it.each(['faceImage', 'face_template', 'faceFeatureVector', 'biometricData', 'fingerprintHash', 'irisScan', 'photoUrl', 'embedding', 'avatar'])(
    'would catch a field named %s',
    (name) => {
      expect(name).toMatch(BIOMETRIC);
    },
  );

  it('has no type, field, argument or input field that could hold biometric data', () => {
    expect(names.filter((n) => BIOMETRIC.test(n.name)).map((n) => n.path)).toEqual([]);
  });

  it('exposes an access event’s subject only as a pseudonym', () => {
    const fields = fieldsOf('AccessEvent');
    expect([...fields.keys()].sort()).toEqual(['device', 'id', 'method', 'occurredAt', 'recordedAt', 'result', 'subjectPseudonym']);
    expect(fields.get('subjectPseudonym')).toBe('String');
    const description = (typeDefinition('AccessEvent') as { description?: { value: string } }).description?.value ?? '';
    expect(description).toMatch(/pseudonym/i);
  });

  it('lets no type reachable from an access event name a person: its device is a device', () => {
    expect([...fieldsOf('SecurityDevice').keys()].filter((f) => /holder|resident|person|user|phone|subject|card/i.test(f))).toEqual([]);
  });

  it('accepts from doors only when, how, the outcome and whom they recognised (turned into a pseudonym)', () => {
    expect([...fieldsOf('AccessEventInput').keys()].sort()).toEqual(['credentialHolderId', 'idempotencyKey', 'method', 'occurredAt', 'result']);
    expect(fieldsOf('AccessEventInput').get('credentialHolderId')).toBe('String');
  });
});
