package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A prompt meme through the API: the maintainer's settings, prompts with
// bad input refused and nothing written, anonymous prompts and claims,
// claims and a fill, the filters, the prompter's notice and mail, and a
// maintainer's deletion in the audit log.
func TestPromptMemeAPI(t *testing.T) {
	e := newEnv(t)
	carol, dave := e.user("carol"), e.user("dave")
	mod := e.moderator("mona")
	e.want(e.do("POST", "/api/v1/collections", e.alice, map[string]any{"name": "Kinkless", "title": "Gentle Meme", "open": true,
		"anonymous": true}), http.StatusCreated)
	// Not a prompt meme yet.
	e.want(e.do("POST", "/api/v1/collections/Kinkless/prompts", e.bob, map[string]any{"text": "x", "fandoms": []string{"Moss Saga"}}), http.StatusNotFound)

	close := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	settings := map[string]any{"kind": "prompt_meme", "signups_close_at": close,
		"requests": map[string]any{"min": 0, "max": 2},
		"tags": map[string]any{
			"fandom":    map[string]any{"request": map[string]any{"min": 1, "max": 1}},
			"character": map[string]any{"request": map[string]any{"min": 0, "max": 2}},
			"freeform":  map[string]any{"request": map[string]any{"min": 0, "max": 3}},
		},
		"tag_set": []string{"Moss Saga", "Tide Clock", "Moss Knight", "Keeper Ann", "Keeper Bo", "Snow", "Rain"}}
	e.want(e.do("PUT", "/api/v1/collections/Kinkless/challenge", e.bob, settings), http.StatusForbidden)
	ch := e.want(e.do("PUT", "/api/v1/collections/Kinkless/challenge", e.alice, settings), http.StatusOK)
	if ch.str("kind") != "prompt_meme" || ch.obj["signups_open"] != true {
		t.Fatalf("challenge %s", ch.raw)
	}

	post := func(tok string, body map[string]any) response {
		return e.do("POST", "/api/v1/collections/Kinkless/prompts", tok, body)
	}
	prompt := func(fandom, text string, chars ...string) map[string]any {
		return map[string]any{"fandoms": []string{fandom}, "characters": chars, "text": text}
	}
	long := strings.Repeat("a", 5001)
	for _, bad := range []response{
		post(e.bob, prompt("Unlisted Fandom", "Snowed in")),                                                             // outside the tag set
		post(e.bob, prompt("Moss Saga", "Snowed in", "Keeper Ann", "Keeper Bo", "Moss Knight")),                         // too many characters
		post(e.bob, map[string]any{"text": "no fandom"}),                                                                // too few fandoms
		post(e.bob, prompt("Moss Saga", "  ")),                                                                          // empty text
		post(e.bob, prompt("Moss Saga", long)),                                                                          // text over the limit
		post(e.bob, map[string]any{"fandoms": []string{"Moss Saga"}, "relationships": []string{"Ann/Bo"}, "text": "x"}), // a type the settings leave out
	} {
		if bad.status != http.StatusUnprocessableEntity || bad.errMessage() == "" {
			t.Fatalf("bad prompt: %d %s", bad.status, bad.raw)
		}
	}
	if l := e.want(e.do("GET", "/api/v1/collections/Kinkless/prompts", e.alice, nil), http.StatusOK); l.num("total") != 0 {
		t.Fatalf("bad prompts were written: %s", l.raw)
	}

	// bob posts an anonymous prompt, carol a signed one.
	anon := prompt("Moss Saga", "<p>A snowed-in inn<script>x</script></p>", "Keeper Ann")
	anon["anonymous"] = true
	bp := e.want(post(e.bob, anon), http.StatusCreated)
	if bp.str("user") != "bob" || strings.Contains(bp.str("text"), "script") || bp.obj["anonymous"] != true {
		t.Fatalf("bob's own prompt %s", bp.raw)
	}
	bobPrompt := bp.num("id")
	cp := e.want(post(carol, prompt("Tide Clock", "Rain on the clock tower")), http.StatusCreated)
	carolPrompt := cp.num("id")
	e.want(post(carol, prompt("Tide Clock", "A second")), http.StatusCreated)
	if r := post(carol, prompt("Tide Clock", "A third")); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.errMessage(), "limit is 2") {
		t.Fatalf("a prompt over the per-participant limit: %d %s", r.status, r.raw)
	}
	// Others see "Anonymous"; the maintainer sees the name.
	seen := e.want(e.do("GET", path("/api/v1/collections/Kinkless/prompts/%d", bobPrompt), carol, nil), http.StatusOK)
	if seen.obj["user"] != nil || strings.Contains(string(seen.raw), "bob") {
		t.Fatalf("an anonymous prompt shows its poster: %s", seen.raw)
	}
	if g := e.do("GET", path("/api/v1/collections/Kinkless/prompts/%d", bobPrompt), "", nil); g.status != http.StatusOK || strings.Contains(string(g.raw), "bob") {
		t.Fatalf("a guest: %d %s", g.status, g.raw)
	}
	if m := e.want(e.do("GET", path("/api/v1/collections/Kinkless/prompts/%d", bobPrompt), e.alice, nil), http.StatusOK); m.str("user") != "bob" {
		t.Fatalf("the maintainer: %s", m.raw)
	}
	// Edit: the poster only.
	e.want(e.do("PATCH", path("/api/v1/collections/Kinkless/prompts/%d", bobPrompt), carol, prompt("Moss Saga", "mine now")), http.StatusForbidden)
	anon["text"] = "A snowed-in inn, with soup"
	if ed := e.want(e.do("PATCH", path("/api/v1/collections/Kinkless/prompts/%d", bobPrompt), e.bob, anon), http.StatusOK); !strings.Contains(ed.str("text"), "soup") {
		t.Fatalf("edited %s", ed.raw)
	}

	// Claims: carol and dave claim bob's prompt; twice is a conflict; bob
	// may claim his own (as on AO3).
	cc := e.want(e.do("POST", path("/api/v1/prompts/%d/claims", bobPrompt), carol, nil), http.StatusCreated)
	carolClaim := cc.num("id")
	if r := e.do("POST", path("/api/v1/prompts/%d/claims", bobPrompt), carol, nil); r.status != http.StatusConflict || r.errMessage() == "" {
		t.Fatalf("claiming twice: %d %s", r.status, r.raw)
	}
	dc := e.want(e.do("POST", path("/api/v1/prompts/%d/claims", bobPrompt), dave, nil), http.StatusCreated)
	e.want(e.do("POST", path("/api/v1/prompts/%d/claims", carolPrompt), e.bob, nil), http.StatusCreated)
	e.want(e.do("POST", "/api/v1/prompts/99999/claims", dave, nil), http.StatusNotFound)
	e.want(e.do("POST", path("/api/v1/prompts/%d/claims", bobPrompt), "", nil), http.StatusUnauthorized)
	// In an anonymous collection claims are anonymous to others.
	seen = e.want(e.do("GET", path("/api/v1/collections/Kinkless/prompts/%d", bobPrompt), e.bob, nil), http.StatusOK)
	if len(seen.list("claims")) != 2 || strings.Contains(string(seen.raw), "carol") || strings.Contains(string(seen.raw), "dave") {
		t.Fatalf("claims name their claimers: %s", seen.raw)
	}
	// dave drops his claim; not carol's.
	e.want(e.do("DELETE", path("/api/v1/claims/%d", dc.num("id")), carol, nil), http.StatusNotFound)
	e.want(e.do("DELETE", path("/api/v1/claims/%d", dc.num("id")), dave, nil), http.StatusNoContent)

	work := func(tok, title string, claims []int, colls ...string) response {
		return e.do("POST", "/api/v1/works", tok, map[string]any{"title": title, "rating": "General Audiences",
			"warnings": []string{"No Archive Warnings Apply"}, "fandoms": []string{"Moss Saga"}, "collections": colls,
			"claims": claims, "chapters": []map[string]any{{"body": "Soup, and snow."}}})
	}
	// Filling someone else's claim, or outside the collection: 422,
	// nothing written.
	if r := work(dave, "Not Mine", []int{carolClaim}, "Kinkless"); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.errMessage(), "not yours") {
		t.Fatalf("filling another's claim: %d %s", r.status, r.raw)
	}
	if r := work(carol, "Elsewhere", []int{carolClaim}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.errMessage(), "Kinkless") {
		t.Fatalf("a fill outside the collection: %d %s", r.status, r.raw)
	}
	if l := e.want(e.do("GET", "/api/v1/collections/Kinkless/prompts?status=filled", e.alice, nil), http.StatusOK); l.num("total") != 0 {
		t.Fatalf("a refused fill was written: %s", l.raw)
	}
	// A draft fill is not shown nor counted.
	dr := e.do("POST", "/api/v1/works", carol, map[string]any{"title": "Draft Soup", "rating": "General Audiences", "draft": true,
		"warnings": []string{"No Archive Warnings Apply"}, "fandoms": []string{"Moss Saga"}, "collections": []string{"Kinkless"},
		"claims": []int{carolClaim}, "chapters": []map[string]any{{"body": "Soup."}}})
	e.want(dr, http.StatusCreated)
	if l := e.want(e.do("GET", "/api/v1/collections/Kinkless/prompts?status=filled", e.bob, nil), http.StatusOK); l.num("total") != 0 || strings.Contains(string(l.raw), "Draft Soup") {
		t.Fatalf("a draft fill shows: %s", l.raw)
	}
	if strings.Contains(e.mail.String(), "was filled") {
		t.Fatal("a draft told the prompter")
	}
	// Posting it fills the claim, and bob is told without carol's name.
	e.want(e.do("PATCH", path("/api/v1/works/%d", dr.num("id")), carol, map[string]any{"draft": false}), http.StatusOK)
	filled := e.want(e.do("GET", "/api/v1/collections/Kinkless/prompts?status=filled", e.bob, nil), http.StatusOK)
	if filled.num("total") != 1 || !strings.Contains(string(filled.raw), "Draft Soup") || strings.Contains(string(filled.raw), "carol") {
		t.Fatalf("filled prompts %s", filled.raw)
	}
	if r := work(dave, "Taken", []int{carolClaim}, "Kinkless"); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("a second fill of a claim: %d %s", r.status, r.raw)
	}
	e.want(e.do("DELETE", path("/api/v1/claims/%d", carolClaim), carol, nil), http.StatusConflict)
	inbox := e.want(e.do("GET", "/api/v1/me/inbox", e.bob, nil), http.StatusOK)
	if !strings.Contains(string(inbox.raw), "prompt_filled") || strings.Contains(string(inbox.raw), "carol") {
		t.Fatalf("bob's inbox %s", inbox.raw)
	}
	if _, err := e.site.Jobs.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if m := e.mail.String(); !strings.Contains(m, "Your prompt in Gentle Meme was filled") || strings.Contains(m, "carol") {
		t.Fatalf("the fill mail: %s", m)
	}

	// Filters: by tag, claimed/unclaimed/filled/unfilled, sort.
	count := func(query string) int {
		r := e.want(e.do("GET", "/api/v1/collections/Kinkless/prompts"+query, dave, nil), http.StatusOK)
		return r.num("total")
	}
	for q, want := range map[string]int{"": 3, "?tag=moss+saga": 1, "?tag=Tide+Clock": 2, "?status=claimed": 2, "?status=unclaimed": 1,
		"?status=filled": 1, "?status=unfilled": 2, "?tag=Tide+Clock&status=claimed": 1} {
		if got := count(q); got != want {
			t.Errorf("prompts%s: %d, want %d", q, got, want)
		}
	}
	if r := e.want(e.do("GET", "/api/v1/collections/Kinkless/prompts?sort=oldest", dave, nil), http.StatusOK); int(r.list("prompts")[0].(map[string]any)["id"].(float64)) != bobPrompt {
		t.Fatalf("oldest first %s", r.raw)
	}
	e.want(e.do("GET", "/api/v1/collections/Kinkless/prompts?status=maybe", dave, nil), http.StatusUnprocessableEntity)
	mine := e.want(e.do("GET", "/api/v1/me/claims", carol, nil), http.StatusOK)
	if len(mine.list("claims")) != 1 {
		t.Fatalf("carol's claims %s", mine.raw)
	}

	// After the close: no prompts, no edits by posters; the maintainer
	// still deletes one, in the audit log.
	settings["signups_close_at"] = time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	e.want(e.do("PUT", "/api/v1/collections/Kinkless/challenge", e.alice, settings), http.StatusOK)
	if r := post(dave, prompt("Moss Saga", "Late")); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.errMessage(), "closed") {
		t.Fatalf("a prompt after close: %d %s", r.status, r.raw)
	}
	e.want(e.do("DELETE", path("/api/v1/collections/Kinkless/prompts/%d", carolPrompt), carol, nil), http.StatusUnprocessableEntity)
	e.want(e.do("DELETE", path("/api/v1/collections/Kinkless/prompts/%d", carolPrompt), dave, nil), http.StatusForbidden)
	e.want(e.do("DELETE", path("/api/v1/collections/Kinkless/prompts/%d", carolPrompt), e.alice, nil), http.StatusNoContent)
	e.want(e.do("GET", path("/api/v1/collections/Kinkless/prompts/%d", carolPrompt), e.alice, nil), http.StatusNotFound)
	found := false
	for _, l := range e.auditLog(mod, "") {
		if l.actor == "alice" && l.action == "prompt_delete" && l.target == "collection:Kinkless" {
			found = true
		}
	}
	if !found {
		t.Fatalf("no audit entry: %v", e.auditLog(mod, ""))
	}

	// A closed collection: only maintainers claim.
	e.want(e.do("PATCH", "/api/v1/collections/Kinkless", e.alice, map[string]any{"open": false}), http.StatusOK)
	if r := e.do("POST", path("/api/v1/prompts/%d/claims", bobPrompt), e.user("erin"), nil); r.status != http.StatusForbidden || r.errMessage() == "" {
		t.Fatalf("claiming in a closed collection: %d %s", r.status, r.raw)
	}
	_ = fmt.Sprint
}
