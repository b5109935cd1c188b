// The notebook stage's public face: nbformat in and out, output building, parameter
// injection, error markers, the source digest. Pure functions, no I/O beyond read/write.

export type * from './types.js';
export { NotebookFormatError, ParameterInjectionError } from './errors.js';
export { parseNotebook, readNotebook, type ParseOptions } from './read.js';
export { serializeNotebook, writeNotebook, writeNotebookSync } from './write.js';
export { ensureCellIds, newCellId, isValidCellId } from './cellIds.js';
export { splitLines, isJsonMime } from './multiline.js';
export {
  OutputCollector,
  RECORD_MIME,
  type IOPubContent,
  type OutputCollectorOptions,
  type RecordValue,
  type StreamName,
} from './outputs.js';
export { StreamText, resolveStreamText } from './streamText.js';
export {
  addErrorMarker,
  removeErrorMarkers,
  isErrorMarker,
  errorMarkerKind,
  ERROR_MARKER_TAG,
  ERROR_ANCHOR_ID,
  type ErrorMarkerKind,
} from './errorMarker.js';
export {
  injectParameters,
  injectionPlace,
  parametersSource,
  hasTag,
  PARAMETERS_TAG,
  INJECTED_PARAMETERS_TAG,
  NO_PARAMETERS_CELL_WARNING,
  type ParameterValues,
  type PythonSources,
} from './parameters.js';
export {
  exactNumber,
  parseExact,
  stringifyExact,
  toPlain,
  hasExactNumbers,
  isLosslessNumber,
  LosslessNumber,
  type ExactJSON,
} from './exactJson.js';
export { pythonFloatRepr } from './pyjson.js';
export { translatorFor, SUPPORTED_LANGUAGES, type Translator } from './translators.js';
export { notebookSourceDigest } from './fingerprint.js';
export { notebookStem } from './stem.js';
export { valueText } from './valueText.js';
export {
  WidgetStateTracker,
  savedWidgetState,
  WIDGET_STATE_MIME,
  WIDGET_VIEW_MIME,
  WIDGET_COMM_TARGET,
  type WidgetStateDocument,
  type WidgetModelState,
  type WidgetBuffer,
  type CommMessage,
} from './widgetState.js';
