// YAML numbers without loss: the core schema's int and float tags, wrapped so that an
// integral float (`1.0`, `1e3`) or an integer beyond 2^53 is read as a LosslessNumber
// that keeps its Python meaning. Every other number is a plain JS number, as before.
import { isScalar, type ScalarTag, type Tags } from 'yaml';
import { LosslessNumber, pythonFloatRepr } from '../notebook/index.js';

const INT = 'tag:yaml.org,2002:int';
const FLOAT = 'tag:yaml.org,2002:float';

function lossless(tag: ScalarTag): ScalarTag {
  const resolve = tag.resolve;
  return {
    ...tag,
    resolve(str, onError, opt) {
      const raw = resolve.call(tag, str, onError, opt);
      const v = isScalar(raw) ? raw.value : raw;
      if (typeof v !== 'number' || !Number.isFinite(v)) return raw;
      if (tag.tag === INT) {
        if (Number.isSafeInteger(v)) return raw;
        const big = resolve.call(tag, str, onError, { ...opt, intAsBigInt: true });
        return new LosslessNumber(String(isScalar(big) ? big.value : big));
      }
      return Number.isInteger(v) ? new LosslessNumber(pythonFloatRepr(v)) : raw;
    },
  };
}

/** For yaml's `customTags` option. */
export function losslessNumberTags(tags: Tags): Tags {
  return tags.map((t) => (typeof t === 'object' && 'resolve' in t && (t.tag === INT || t.tag === FLOAT) && !('collection' in t && t.collection) ? lossless(t as ScalarTag) : t));
}
