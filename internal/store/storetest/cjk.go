package storetest

import (
	"context"
	"database/sql"
	"testing"

	"quire/internal/store"
)

// testSearchCJK: a Chinese or Japanese query finds the works containing
// it, though neither language writes spaces between words.
func testSearchCJK(t *testing.T, st store.Store) {
	ctx := context.Background()
	u := newUser(t, st, "cjkwriter")
	zh := postWork(t, st, u, "星空下的约定", basicTags("F"), "她终于学会了古老的魔法少女咒语，然后离开了城市。")
	ja := postWork(t, st, u, "夜の図書館で", basicTags("F"), "彼女は静かな図書館で古い手紙を見つけた。")
	en := postWork(t, st, u, "Plain Latin", basicTags("F"), "An ordinary paragraph about a library.")
	for _, c := range []struct {
		q    store.TextQuery
		want []int64
	}{
		{store.TextQuery{Terms: []string{"魔法"}}, []int64{zh.ID}},
		{store.TextQuery{Terms: []string{"魔法少女"}}, []int64{zh.ID}},
		{store.TextQuery{Terms: []string{"魔女"}}, nil}, // not adjacent in the text
		{store.TextQuery{Terms: []string{"図書館"}}, []int64{ja.ID}},
		{store.TextQuery{Terms: []string{"手紙"}, Not: []string{"魔法"}}, []int64{ja.ID}},
		{store.TextQuery{AnyOf: [][]string{{"咒语", "手紙"}}}, []int64{zh.ID, ja.ID}},
		{store.TextQuery{Fields: []store.FieldTerm{{Field: "title", Text: "約定"}}}, nil},
		{store.TextQuery{Fields: []store.FieldTerm{{Field: "title", Text: "约定"}}}, []int64{zh.ID}},
		{store.TextQuery{Terms: []string{"library"}}, []int64{en.ID}},
	} {
		ids, err := st.SearchText(ctx, c.q)
		must(t, err)
		if len(ids) != len(c.want) {
			t.Errorf("%+v found %v, want %v", c.q, ids, c.want)
			continue
		}
		for i := range ids {
			if ids[i] != c.want[i] {
				t.Errorf("%+v found %v, want %v", c.q, ids, c.want)
			}
		}
	}
}

// testReindexCJK: a work whose full-text row was written before CJK
// characters were spaced (an older Quire) matches a Chinese or Japanese
// substring only after ReindexWorks; a second run changes nothing.
func testReindexCJK(t *testing.T, st store.Store) {
	ctx := context.Background()
	u := newUser(t, st, "oldindex")
	zh := postWork(t, st, u, "旧索引的故事", basicTags("F"), "很久以前，灯塔守护者写下了一封长信。")
	ja := postWork(t, st, u, "古い索引", basicTags("F"), "灯台守は長い手紙を書いた。")
	dbOf, ok := st.(interface{ DB() *sql.DB })
	if !ok {
		t.Skip("the store has no SQL database to age")
	}
	// Age the rows: the text as the old tokenizer stored it, unspaced.
	for _, w := range []struct {
		id          int64
		title, body string
	}{{zh.ID, "旧索引的故事", "很久以前，灯塔守护者写下了一封长信。"}, {ja.ID, "古い索引", "灯台守は長い手紙を書いた。"}} {
		if _, err := dbOf.DB().ExecContext(ctx, `DELETE FROM works_fts WHERE rowid = ?`, w.id); err != nil {
			t.Fatal(err)
		}
		if _, err := dbOf.DB().ExecContext(ctx, `INSERT INTO works_fts (rowid, title, body) VALUES (?, ?, ?)`, w.id, w.title, w.body); err != nil {
			t.Fatal(err)
		}
	}
	find := func(term string) []int64 {
		ids, err := st.SearchText(ctx, store.TextQuery{Terms: []string{term}})
		must(t, err)
		return ids
	}
	if got := find("灯塔"); len(got) != 0 {
		t.Fatalf("an aged row matched a substring before the reindex: %v", got)
	}
	var calls, last int
	n, err := st.ReindexWorks(ctx, func(done, total int) { calls, last = calls+1, done })
	must(t, err)
	if n < 2 || calls == 0 || last != n {
		t.Fatalf("reindexed %d works, progress called %d times, last at %d", n, calls, last)
	}
	for _, run := range []int{1, 2} {
		if got := find("灯塔"); len(got) != 1 || got[0] != zh.ID {
			t.Errorf("run %d: 灯塔 found %v, want [%d]", run, got, zh.ID)
		}
		if got := find("手紙"); len(got) != 1 || got[0] != ja.ID {
			t.Errorf("run %d: 手紙 found %v, want [%d]", run, got, ja.ID)
		}
		if got := find("索引"); len(got) != 2 {
			t.Errorf("run %d: 索引 (in both titles) found %v", run, got)
		}
		if run == 1 {
			if m, err := st.ReindexWorks(ctx, nil); err != nil || m != n {
				t.Fatalf("second reindex: %d, %v", m, err)
			}
		}
	}
}
