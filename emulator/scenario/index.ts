/** The scenario language: schema, compiler, engine, measurement and reports. */
export { expectationSchema, scenarioSchema, stepSchema, trafficSchema, STEP_ACTIONS } from './schema.ts';
export type { ExpectationSpec, ScenarioSpec, StepSpec, TrafficSpec } from './schema.ts';
export { compileScenario, scenarioProblems, ScenarioError } from './compile.ts';
export type { CompiledExpectation, CompiledFlow, CompiledScenario, CompiledStep, ScenarioProblem, StepAction } from './compile.ts';
export type { CaptureInfo, FlowHandle, FlowSpec, LinkRef, Probe, ProbeLog, ScenarioTarget, VmMove, VmmDeploymentRequest } from './target.ts';
export type {
  MulticastFlowSpec,
  PingFlowSpec,
  SessionsFlowSpec,
  UdpFlowSpec,
} from './target.ts';
export { ScenarioRun, MAX_TIMELINE_EVENTS } from './runner.ts';
export type { ScenarioRunInfo } from './runner.ts';
export { measureFlow, measureProbes } from './measure.ts';
export type { FlowStats, MeasureOptions, OutageWindow, ProbeStats } from './measure.ts';
export { REPORT_FORMAT } from './report.ts';
export type { CheckStatus, ExpectationResult, FlowReport, RunReport, StepProblem, TimelineEntry } from './report.ts';
export { renderReportJson } from './render-json.ts';
export { renderReportText } from './render-text.ts';
export { renderJunit } from './render-junit.ts';
export { formatDuration } from './words.ts';
export { scenarioReferences } from './references.ts';
export type { ScenarioReference } from './references.ts';
