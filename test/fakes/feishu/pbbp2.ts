/**
 * The long connection's protobuf frame (`pbbp2.Frame` in @larksuiteoapi/node-sdk 1.74.0, es/index.js):
 * 1 SeqID uint64 · 2 LogID uint64 · 3 service int32 · 4 method int32 (0 control, 1 data) ·
 * 5 headers repeated {1 key, 2 value} · 6 payloadEncoding · 7 payloadType · 8 payload bytes · 9 LogIDNew.
 * Written by hand so the fake does not borrow the SDK's own codec.
 */

export interface FrameHeader {
  key: string;
  value: string;
}

export interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: FrameHeader[];
  payloadEncoding?: string;
  payloadType?: string;
  payload?: Uint8Array;
  LogIDNew?: string;
}

export const FRAME_CONTROL = 0;
export const FRAME_DATA = 1;

export function encodeFrame(frame: Frame): Uint8Array {
  const out: number[] = [];
  varintField(out, 1, frame.SeqID);
  varintField(out, 2, frame.LogID);
  varintField(out, 3, frame.service);
  varintField(out, 4, frame.method);
  for (const header of frame.headers) {
    const inner: number[] = [];
    bytesField(inner, 1, utf8(header.key));
    bytesField(inner, 2, utf8(header.value));
    bytesField(out, 5, Uint8Array.from(inner));
  }
  if (frame.payloadEncoding !== undefined) bytesField(out, 6, utf8(frame.payloadEncoding));
  if (frame.payloadType !== undefined) bytesField(out, 7, utf8(frame.payloadType));
  if (frame.payload !== undefined) bytesField(out, 8, frame.payload);
  if (frame.LogIDNew !== undefined) bytesField(out, 9, utf8(frame.LogIDNew));
  return Uint8Array.from(out);
}

export function decodeFrame(bytes: Uint8Array): Frame {
  const frame: Frame = { SeqID: 0, LogID: 0, service: 0, method: 0, headers: [] };
  for (const field of fields(bytes)) {
    switch (field.number) {
      case 1:
        frame.SeqID = field.varint ?? 0;
        break;
      case 2:
        frame.LogID = field.varint ?? 0;
        break;
      case 3:
        frame.service = field.varint ?? 0;
        break;
      case 4:
        frame.method = field.varint ?? 0;
        break;
      case 5: {
        const header: FrameHeader = { key: '', value: '' };
        for (const inner of fields(field.bytes ?? new Uint8Array())) {
          if (inner.number === 1) header.key = text(inner.bytes);
          if (inner.number === 2) header.value = text(inner.bytes);
        }
        frame.headers.push(header);
        break;
      }
      case 6:
        frame.payloadEncoding = text(field.bytes);
        break;
      case 7:
        frame.payloadType = text(field.bytes);
        break;
      case 8:
        frame.payload = field.bytes;
        break;
      case 9:
        frame.LogIDNew = text(field.bytes);
        break;
    }
  }
  return frame;
}

export function headerValue(frame: Frame, key: string): string | undefined {
  return frame.headers.find((header) => header.key === key)?.value;
}

interface Field {
  number: number;
  varint?: number;
  bytes?: Uint8Array;
}

function* fields(bytes: Uint8Array): Generator<Field> {
  let pos = 0;
  const readVarint = () => {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = bytes[pos++];
      if (byte === undefined) throw new Error('truncated varint');
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
  };
  while (pos < bytes.length) {
    const tag = readVarint();
    const number = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (wireType === 0) yield { number, varint: readVarint() };
    else if (wireType === 2) {
      const length = readVarint();
      yield { number, bytes: bytes.subarray(pos, pos + length) };
      pos += length;
    } else if (wireType === 1) pos += 8;
    else if (wireType === 5) pos += 4;
    else throw new Error(`unsupported wire type ${wireType}`);
  }
}

function varint(out: number[], value: number) {
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
}

function varintField(out: number[], number: number, value: number) {
  varint(out, number * 8);
  varint(out, value);
}

function bytesField(out: number[], number: number, value: Uint8Array) {
  varint(out, number * 8 + 2);
  varint(out, value.length);
  for (const byte of value) out.push(byte);
}

const utf8 = (value: string) => new TextEncoder().encode(value);
const text = (value: Uint8Array | undefined) => new TextDecoder().decode(value ?? new Uint8Array());
