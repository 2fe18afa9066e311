package web_test

import (
	"context"
	"net/url"
	"testing"

	"quire/internal/store"
	"quire/internal/web"
)

// A creator's statistics list every work they made, drafts included, with
// totals and a chart; nobody else can open them.
func TestCreatorStatistics(t *testing.T) {
	r := newRig(t, web.Options{})
	a := r.browser()
	a.signup("counter")
	popular := a.postWork(url.Values{"title": {"Popular One"}})
	a.postWork(url.Values{"title": {"Quiet Draft"}, "action": {"draft"}})
	ctx := context.Background()
	id := mustID(t, popular)
	if err := r.store.SetWorkCounts(ctx, id, 1234, 56); err != nil {
		t.Fatal(err)
	}
	if err := r.site.ApplyChanges(ctx, []store.Change{{Kind: "counts", Ref: id}}); err != nil {
		t.Fatal(err)
	}
	reader := r.browser()
	reader.signup("follower")
	reader.post("/subscriptions", url.Values{"kind": {"work"}, "target": {itoa(id)}, "return_to": {popular}}).status_(t, 200)
	if err := r.site.FlushHits(ctx); err != nil {
		t.Fatal(err)
	}

	p := a.get("/users/counter/stats").status_(t, 200)
	// 1,234 set, plus the follower's visit on the way back from subscribing.
	p.has(t, "Popular One", "Quiet Draft", "(draft)", "1,235", "<svg", "<title id=\"chart-title\">", `<caption>`)
	p.lacks(t, "<script")
	a.get("/users/counter/stats?sort=kudos").status_(t, 200).has(t, "Your top works: kudos")
	// In German: the sort's name, the headings and the numbers.
	a.getIn("/users/counter/stats?sort=kudos", "de").status_(t, 200).has(t, "Deine stärksten Werke: Kudos", "Statistik für counter",
		`<th scope="col">Aufrufe</th>`, "1.235", `<option value="words">Wörter</option>`)
	reader.get("/users/counter/stats").status_(t, 404)
	r.browser().get("/users/counter/stats").has(t, "Log in")
}
