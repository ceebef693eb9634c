// Kafka's Uuid text form: 16 random bytes (version-4 bits set) as unpadded base64url, 22 chars.
// Like Uuid.randomUuid(), never the zero uuid, the metadata topic id, or text starting with '-'.

import { randomBytes } from 'node:crypto';

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';
const METADATA_TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';

export function randomKafkaUuid(): string {
  for (;;) {
    const bytes = randomBytes(16);
    bytes[6] = (bytes[6]! & 0x0f) | 0x40;
    bytes[8] = (bytes[8]! & 0x3f) | 0x80;
    const text = bytes.toString('base64url');
    if (text !== ZERO_UUID && text !== METADATA_TOPIC_ID && !text.startsWith('-')) return text;
  }
}

/** 32 lowercase hex digits of a base64url uuid (used in `-delete` / `-stray` directory names). */
export function uuidHex(text: string): string {
  const bytes = Buffer.from(text, 'base64url');
  return bytes.length === 16 ? bytes.toString('hex') : randomBytes(16).toString('hex');
}
