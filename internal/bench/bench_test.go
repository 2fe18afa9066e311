package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"

	"quire/internal/listing"
	"quire/internal/store/testdb"
)

func TestFilterAgreesAndPrintsOneJSONLine(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	rep, err := Filter(ctx, FilterOptions{Works: 300, Queries: 50, Seed: 1, Data: dir})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Agree || len(rep.Disagreements) > 0 {
		t.Fatalf("engines disagree: %v", rep.Disagreements)
	}
	var out bytes.Buffer
	if err := rep.WriteJSON(&out); err != nil {
		t.Fatal(err)
	}
	line := out.String()
	if strings.Count(line, "\n") != 1 || !strings.HasSuffix(line, "\n") {
		t.Fatalf("want exactly one line, got %q", line)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(line), &got); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range got {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"agree", "build_ms", "engines", "facets", "index_bytes", "queries", "sql_prepare_ms", "works"}
	if !slices.Equal(keys, want) {
		t.Fatalf("keys %v, want %v", keys, want)
	}
	if got["works"] != float64(300) || got["queries"] != float64(50) || got["agree"] != true {
		t.Fatalf("works/queries/agree: %s", line)
	}
	latency := func(v any, where string) {
		m, ok := v.(map[string]any)
		if !ok || len(m) != 2 {
			t.Fatalf("%s: %v", where, v)
		}
		for _, k := range []string{"p50_ms", "p99_ms"} {
			if x, ok := m[k].(float64); !ok || x < 0 {
				t.Fatalf("%s.%s: %v", where, k, m[k])
			}
		}
	}
	engines, _ := got["engines"].(map[string]any)
	if len(engines) != 2 {
		t.Fatalf("engines: %v", got["engines"])
	}
	latency(engines["index"], "engines.index")
	latency(engines["sqlite"], "engines.sqlite")
	latency(got["facets"], "facets")
	if x, _ := got["build_ms"].(float64); x <= 0 {
		t.Fatalf("build_ms: %v", got["build_ms"])
	}

	// The same archive is reused, and every SQL formulation agrees.
	for form := range sqlForms {
		rep, err := Filter(ctx, FilterOptions{Works: 300, Queries: 50, Seed: 1, Data: dir, SQLForm: form})
		if err != nil {
			t.Fatalf("%s: %v", form, err)
		}
		if !rep.Agree {
			t.Fatalf("%s disagrees: %v", form, rep.Disagreements)
		}
	}
}

// A comparator that ignores a query's first exclude must be caught.
func TestBrokenComparatorIsCaught(t *testing.T) {
	ctx := context.Background()
	st, err := openArchive(ctx, t.TempDir(), 300, 1, filterBodyWords, false, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ix, err := listing.Build(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := prepareSQL(ctx, st.DB(), ix.Graph(), bestForm)
	if err != nil {
		t.Fatal(err)
	}
	defer cmp.Close()
	qs, err := generateQueries(ctx, cmp, ix.Graph(), 50, 1)
	if err != nil {
		t.Fatal(err)
	}
	m, err := run(ctx, qs, indexEngine(ix), opponent{"sqlite", cmp.answer})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.disagreements) != 0 {
		t.Fatalf("the honest comparator disagrees: %v", m.disagreements)
	}
	broken := func(ctx context.Context, q query) (answer, error) {
		if len(q.Exclude) > 0 {
			q.Exclude = q.Exclude[1:]
		}
		return cmp.answer(ctx, q)
	}
	m, err = run(ctx, qs, indexEngine(ix), opponent{"sqlite", broken})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.disagreements) == 0 {
		t.Fatal("a comparator ignoring excludes went unnoticed")
	}
	for _, d := range m.disagreements {
		if !strings.Contains(d.Query, "exclude=") {
			t.Fatalf("disagreement on a query without excludes: %s", d)
		}
		if !strings.Contains(d.String(), "index:") || !strings.Contains(d.String(), "sqlite:") {
			t.Fatalf("a disagreement should show both answers: %s", d)
		}
	}
}

func TestFilterRefusals(t *testing.T) {
	ctx := context.Background()
	_, err := Filter(ctx, FilterOptions{Works: 10, Queries: 1, DB: "mysql://localhost/quire"})
	if err == nil || !strings.Contains(err.Error(), "postgres://") {
		t.Fatalf("--db: %v", err)
	}
	dir := t.TempDir()
	if _, err := Filter(ctx, FilterOptions{Works: 20, Queries: 5, Seed: 1, Data: dir}); err != nil {
		t.Fatal(err)
	}
	if _, err := Filter(ctx, FilterOptions{Works: 30, Queries: 5, Seed: 1, Data: dir}); err == nil || !strings.Contains(err.Error(), "holds 20 works") {
		t.Fatalf("another size: %v", err)
	}
	if _, err := Filter(ctx, FilterOptions{Works: 20, Queries: 5, Seed: 2, Data: dir}); err == nil || !strings.Contains(err.Error(), "another seed") {
		t.Fatalf("another seed: %v", err)
	}
}

// With a PostgreSQL server, the three engines agree on every query, the
// report carries a "postgres" engine, and a second run reuses the tables.
func TestFilterOnPostgres(t *testing.T) {
	url := testdb.Schema(t, testdb.PostgresURL())
	ctx := context.Background()
	dir := t.TempDir()
	var progress bytes.Buffer
	rep, err := Filter(ctx, FilterOptions{Works: 300, Queries: 200, Seed: 1, Data: dir, DB: url, Progress: &progress})
	if err != nil {
		t.Fatalf("%v\n%s", err, progress.String())
	}
	if !rep.Agree || len(rep.Disagreements) > 0 || rep.Engines.Postgres == nil {
		t.Fatalf("agree %v, postgres %v: %v", rep.Agree, rep.Engines.Postgres, rep.Disagreements)
	}
	if !strings.Contains(progress.String(), "loading the works into PostgreSQL") {
		t.Fatalf("the first run should load the tables:\n%s", progress.String())
	}
	var out bytes.Buffer
	if err := rep.WriteJSON(&out); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Engines map[string]map[string]float64 `json:"engines"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	for _, e := range []string{"index", "sqlite", "postgres"} {
		if _, ok := got.Engines[e]["p99_ms"]; !ok {
			t.Fatalf("engines.%s missing: %s", e, out.String())
		}
	}
	var text bytes.Buffer
	rep.Text(&text)
	if !strings.Contains(text.String(), "postgres / index") {
		t.Fatalf("text report without the postgres ratio:\n%s", text.String())
	}

	progress.Reset()
	rep, err = Filter(ctx, FilterOptions{Works: 300, Queries: 50, Seed: 1, Data: dir, DB: url, Progress: &progress})
	if err != nil || !rep.Agree {
		t.Fatalf("second run: %v", err)
	}
	if !strings.Contains(progress.String(), "reusing the PostgreSQL tables") {
		t.Fatalf("the second run should reuse the tables:\n%s", progress.String())
	}

	// Another archive in the same schema does not match: the tables are
	// loaded again, and the engines still agree.
	progress.Reset()
	rep, err = Filter(ctx, FilterOptions{Works: 200, Queries: 50, Seed: 2, Data: t.TempDir(), DB: url, Progress: &progress})
	if err != nil || !rep.Agree {
		t.Fatalf("another archive: %v", err)
	}
	if !strings.Contains(progress.String(), "loading the works into PostgreSQL") {
		t.Fatalf("another archive should reload the tables:\n%s", progress.String())
	}
}

// A PostgreSQL comparator that ignores a query's ratings must be caught and
// reported with both answers.
func TestBrokenPostgresComparatorIsCaught(t *testing.T) {
	url := testdb.Schema(t, testdb.PostgresURL())
	ctx := context.Background()
	st, err := openArchive(ctx, t.TempDir(), 300, 1, filterBodyWords, false, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ix, err := listing.Build(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := prepareSQL(ctx, st.DB(), ix.Graph(), bestForm)
	if err != nil {
		t.Fatal(err)
	}
	defer cmp.Close()
	pg, err := preparePostgres(ctx, url, cmp, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	qs, err := generateQueries(ctx, cmp, ix.Graph(), 100, 1)
	if err != nil {
		t.Fatal(err)
	}
	broken := func(ctx context.Context, q query) (answer, error) {
		q.Ratings = nil
		return pg.answer(ctx, q)
	}
	m, err := run(ctx, qs, indexEngine(ix), opponent{"sqlite", cmp.answer}, opponent{"postgres", broken})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.disagreements) == 0 {
		t.Fatal("a comparator ignoring ratings went unnoticed")
	}
	for _, d := range m.disagreements {
		if d.Engine != "postgres" || !strings.Contains(d.Query, "ratings=") {
			t.Fatalf("unexpected disagreement: %s", d)
		}
		if !strings.Contains(d.String(), "index:") || !strings.Contains(d.String(), "postgres:") {
			t.Fatalf("a disagreement should show both answers: %s", d)
		}
	}
	if len(m.sql) != 2 || len(m.sql[0]) != len(qs) || len(m.sql[1]) != len(qs) {
		t.Fatalf("timings per opponent: %d", len(m.sql))
	}
}

func TestSchemaOf(t *testing.T) {
	for dsn, want := range map[string]string{
		"postgres://u@h/db?sslmode=disable":                "quire_bench",
		"postgres://u@h/db?search_path=quire_test_ab12":    "quire_test_ab12",
		"postgres://u@h/db?search_path=bench%2Cpublic&x=1": "bench",
		`postgresql://u@h/db?search_path=%22Mixed%22`:      "Mixed",
	} {
		if got, err := schemaOf(dsn); err != nil || got != want {
			t.Errorf("schemaOf(%q) = %q, %v; want %q", dsn, got, err, want)
		}
	}
}

func TestAnswerEquality(t *testing.T) {
	a := answer{Total: 3, IDs: []int64{3, 2, 1}}
	for _, c := range []struct {
		b    answer
		same bool
	}{
		{answer{Total: 3, IDs: []int64{3, 2, 1}}, true},
		{answer{Total: 4, IDs: []int64{3, 2, 1}}, false},
		{answer{Total: 3, IDs: []int64{3, 1, 2}}, false},
		{answer{Total: 3, IDs: []int64{3, 2}}, false},
		{answer{Err: "there is no tag named \"x\""}, false},
	} {
		if got := a.equal(c.b); got != c.same {
			t.Errorf("%v == %v: %v, want %v", a, c.b, got, c.same)
		}
	}
	if !(answer{}).equal(answer{IDs: []int64{}}) {
		t.Error("an empty page is an empty page")
	}
}
