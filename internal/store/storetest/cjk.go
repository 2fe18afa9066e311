package storetest

import (
	"context"
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
