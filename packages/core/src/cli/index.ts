// @rnnkit/core/cli: the command-line contract shared by rnnkit-sentiment and rnnkit-translate
// (Node only: served through the package's `node` export condition).
export { EXIT, EXIT_CODES_HELP, UsageError, CliError, exitCodeOf } from './exitCodes';
export type { ExitCode } from './exitCodes';
export { parseCommandLine, num, choice, str, required, onlyOptions } from './args';
export type { OptionSpecs, OptionValues, CommandLine, CommandLineSpec } from './args';
export { guardOutput, write, escapeControl, warn } from './output';
export { firstInvalidByte } from '@rnnkit/core';
export { utf8Lines, checkInputFile, inputLines, capText, numberedLines, CLI_MAX_TEXT_LENGTH } from './lines';
export type { Utf8LinesOptions, NumberedLine } from './lines';
export { streamBatches } from './batches';
export { checkOutputFolder, checkModelFolder, probeWritable } from './paths';
export type { OutputFolderCheck } from './paths';
export { trainingProgress, formatDuration } from './progress';
export type { TrainingProgress } from './progress';
export { catchInterrupts, signalExitCode } from './interrupt';
export type { InterruptFlag } from './interrupt';
export { setupCliBackend, quietTfjsBanner, threadsForBatch, type CliWorkload } from './backend';
export { runCli } from './run';
export { LineWarnings } from './warnings';
export type { WarnableResult } from './warnings';
export { writeFolderAtomic } from './atomic';
