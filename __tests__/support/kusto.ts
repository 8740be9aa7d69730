import { createRequire } from 'node:module';

/** A diagnostic of Microsoft's Kusto language service. */
export interface KustoDiagnostic {
  severity: string;
  code: string;
  message: string;
  text: string;
}

interface BridgeList<T> {
  Count: number;
  getItem(index: number): T;
}

interface KustoLanguage {
  Symbols: {
    TableSymbol: {
      $ctor7: new (name: string, schema: string, description: string | null) => unknown;
    };
    DatabaseSymbol: { ctor: new (name: string, members: unknown[]) => unknown };
  };
  GlobalState: { Default: { WithDatabase(database: unknown): unknown } };
  KustoCode: {
    ParseAndAnalyze(
      text: string,
      globals: unknown,
    ): {
      GetDiagnostics(): BridgeList<{
        Severity: string;
        Code: string;
        Message: string;
        Start: number;
        Length: number;
      }>;
      ResultType: { Columns?: BridgeList<{ Name: string; Type: { Name: string } }> } | null;
    };
  };
}

let language: KustoLanguage | undefined;

/** @kusto/language-service-next: Bridge.NET scripts that define the globals Bridge and Kusto. */
function kusto(): KustoLanguage {
  if (!language) {
    const require = createRequire(import.meta.url);
    require('@kusto/language-service-next/bridge.js');
    require('@kusto/language-service-next/Kusto.Language.Bridge.js');
    language = (globalThis as unknown as { Kusto: { Language: KustoLanguage } }).Kusto.Language;
  }
  return language;
}

export interface KustoAnalysis {
  diagnostics: KustoDiagnostic[];
  /** The columns of the query's result, as the language service infers them: [name, type]. */
  resultColumns: [string, string][];
}

/** Analyses `query` against a database of these tables (name → "(col:type, …)"). */
export function analyseKusto(query: string, tables: Record<string, string>): KustoAnalysis {
  const K = kusto();
  const symbols = Object.entries(tables).map(
    ([name, schema]) => new K.Symbols.TableSymbol.$ctor7(name, schema, null),
  );
  const database = new K.Symbols.DatabaseSymbol.ctor('logs', symbols);
  const globals = K.GlobalState.Default.WithDatabase(database);
  const code = K.KustoCode.ParseAndAnalyze(query, globals);
  const list = code.GetDiagnostics();
  const diagnostics: KustoDiagnostic[] = [];
  for (let i = 0; i < list.Count; i++) {
    const d = list.getItem(i);
    diagnostics.push({
      severity: d.Severity,
      code: d.Code,
      message: d.Message,
      text: query.slice(d.Start, d.Start + d.Length),
    });
  }
  const columns = code.ResultType?.Columns;
  const resultColumns: [string, string][] = [];
  for (let i = 0; i < (columns?.Count ?? 0); i++) {
    const column = columns!.getItem(i);
    resultColumns.push([column.Name, column.Type.Name]);
  }
  return { diagnostics, resultColumns };
}
