// JUnit XML for CI dashboards (`ccsim check --junit F`): a testsuite per scenario, a testcase
// per expectation (and per baseline metric), a failure element carrying the message, a skipped
// element for what could not be judged.

export interface JunitCase {
  name: string;
  classname: string;
  /** Seconds. */
  timeS?: number;
  failure?: { message: string; type: string; details: string };
  error?: { message: string; type: string; details: string };
  /** Not judged (a baseline not found): why. */
  skipped?: { message: string };
}

export interface JunitSuite {
  name: string;
  timeS: number;
  properties: Record<string, string>;
  cases: JunitCase[];
}

/** Escapes text for XML attributes and content; drops characters XML 1.0 forbids. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const attr = (name: string, v: string | number): string => ` ${name}="${xmlEscape(String(v))}"`;
const secs = (s: number): string => s.toFixed(3);

export function junitXml(name: string, suites: readonly JunitSuite[]): string {
  const count = (f: (c: JunitCase) => boolean): number =>
    suites.reduce((n, s) => n + s.cases.filter(f).length, 0);
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(
    `<testsuites${attr('name', name)}${attr(
      'tests',
      count(() => true),
    )}${attr(
      'failures',
      count((c) => c.failure !== undefined),
    )}` +
      `${attr(
        'errors',
        count((c) => c.error !== undefined),
      )}${attr('time', secs(suites.reduce((t, s) => t + s.timeS, 0)))}>`,
  );
  for (const s of suites) {
    lines.push(
      `  <testsuite${attr('name', s.name)}${attr('tests', s.cases.length)}${attr('failures', s.cases.filter((c) => c.failure).length)}` +
        `${attr('errors', s.cases.filter((c) => c.error).length)}${attr('skipped', s.cases.filter((c) => c.skipped).length)}${attr('time', secs(s.timeS))}>`,
    );
    const props = Object.entries(s.properties);
    if (props.length > 0) {
      lines.push('    <properties>');
      for (const [k, v] of props)
        lines.push(`      <property${attr('name', k)}${attr('value', v)}/>`);
      lines.push('    </properties>');
    }
    for (const c of s.cases) {
      const open = `    <testcase${attr('name', c.name)}${attr('classname', c.classname)}${attr('time', secs(c.timeS ?? 0))}`;
      const problem =
        c.failure !== undefined
          ? { tag: 'failure', ...c.failure }
          : c.error !== undefined
            ? { tag: 'error', ...c.error }
            : undefined;
      if (problem === undefined && c.skipped !== undefined) {
        lines.push(
          `${open}>`,
          `      <skipped${attr('message', c.skipped.message)}/>`,
          '    </testcase>',
        );
        continue;
      }
      if (problem === undefined) {
        lines.push(`${open}/>`);
        continue;
      }
      lines.push(`${open}>`);
      lines.push(
        `      <${problem.tag}${attr('message', problem.message)}${attr('type', problem.type)}>${xmlEscape(problem.details)}</${problem.tag}>`,
      );
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
