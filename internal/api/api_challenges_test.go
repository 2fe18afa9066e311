package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A gift exchange through the API, as its maintainer and participants use
// it, with the bad input the spec names answered by a 4xx and nothing
// written.
func TestGiftExchangeAPI(t *testing.T) {
	e := newEnv(t)
	carol, dave, erin := e.user("carol"), e.user("dave"), e.user("erin")
	e.want(e.do("POST", "/api/v1/collections", e.alice, map[string]any{"name": "Yule", "title": "Yule Swap", "open": true,
		"anonymous": true, "unrevealed": true}), http.StatusCreated)
	close := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	settings := map[string]any{"kind": "gift_exchange", "signups_close_at": close,
		"requests": map[string]any{"min": 1, "max": 2}, "offers": map[string]any{"min": 1, "max": 2},
		"tags": map[string]any{
			"fandom":    map[string]any{"request": map[string]any{"min": 1, "max": 1}, "offer": map[string]any{"min": 1, "max": 1}, "match": 1},
			"character": map[string]any{"request": map[string]any{"min": 0, "max": 2}, "offer": map[string]any{"min": 0, "max": 4}, "any": true, "match": "all"},
		},
		"tag_set": []string{"Lighthouse Keepers", "Moss Saga", "Tide Clock", "Keeper Ann", "Keeper Bo", "Moss Knight"}}
	e.want(e.do("PUT", "/api/v1/collections/Yule/challenge", e.bob, settings), http.StatusForbidden)
	ch := e.want(e.do("PUT", "/api/v1/collections/Yule/challenge", e.alice, settings), http.StatusOK)
	if ch.obj["signups_open"] != true || ch.str("kind") != "gift_exchange" {
		t.Fatalf("challenge %s", ch.raw)
	}
	if tags := ch.obj["tags"].(map[string]any); tags["character"].(map[string]any)["match"] != "all" {
		t.Fatalf("match rule %s", ch.raw)
	}

	req := func(fandom string, chars ...string) map[string]any {
		return map[string]any{"fandoms": []string{fandom}, "characters": chars, "details": "<p>Cosy, please<script>x</script></p>"}
	}
	anyChars := func(fandom string) map[string]any {
		return map[string]any{"fandoms": []string{fandom}, "any": []string{"character"}}
	}
	signup := func(tok string, reqs, offs []map[string]any) response {
		return e.do("POST", "/api/v1/collections/Yule/challenge/signups", tok, map[string]any{"requests": reqs, "offers": offs})
	}
	// Bad sign-ups: a tag outside the tag set, too many requests, "any"
	// and tags at once, too many characters. Nothing is written.
	for _, bad := range []response{
		signup(e.bob, []map[string]any{req("Unlisted Fandom")}, []map[string]any{anyChars("Moss Saga")}),
		signup(e.bob, []map[string]any{req("Moss Saga"), req("Moss Saga"), req("Moss Saga")}, []map[string]any{anyChars("Moss Saga")}),
		signup(e.bob, []map[string]any{req("Moss Saga")}, []map[string]any{{"fandoms": []string{"Moss Saga"}, "characters": []string{"Moss Knight"}, "any": []string{"character"}}}),
		signup(e.bob, []map[string]any{req("Moss Saga", "Keeper Ann", "Keeper Bo", "Moss Knight")}, []map[string]any{anyChars("Moss Saga")}),
		signup(e.bob, []map[string]any{}, []map[string]any{anyChars("Moss Saga")}),
	} {
		if bad.status != http.StatusUnprocessableEntity || bad.errMessage() == "" {
			t.Fatalf("bad sign-up: %d %s", bad.status, bad.raw)
		}
	}
	if l := e.want(e.do("GET", "/api/v1/collections/Yule/challenge/signups", e.alice, nil), http.StatusOK); len(l.list("signups")) != 0 {
		t.Fatalf("bad sign-ups were written: %s", l.raw)
	}

	// Four sign up; erin asks for what nobody offers.
	bobSU := e.want(signup(e.bob, []map[string]any{req("Lighthouse Keepers", "Keeper Ann")}, []map[string]any{anyChars("Moss Saga")}), http.StatusCreated)
	e.want(signup(carol, []map[string]any{req("Moss Saga", "Moss Knight")}, []map[string]any{{"fandoms": []string{"Tide Clock"}}}), http.StatusCreated)
	e.want(signup(dave, []map[string]any{req("Tide Clock")}, []map[string]any{{"fandoms": []string{"Lighthouse Keepers"}, "characters": []string{"Keeper Ann", "Keeper Bo"}}}), http.StatusCreated)
	e.want(signup(erin, []map[string]any{req("Moss Saga", "Keeper Ann")}, []map[string]any{anyChars("Lighthouse Keepers")}), http.StatusCreated)
	// Editing replaces; a second POST is the same edit.
	bobID := bobSU.num("id")
	e.want(e.do("PATCH", path("/api/v1/collections/Yule/challenge/signups/%d", bobID), carol, map[string]any{"requests": []any{req("Moss Saga")}, "offers": []any{anyChars("Moss Saga")}}), http.StatusForbidden)
	edited := e.want(e.do("PATCH", path("/api/v1/collections/Yule/challenge/signups/%d", bobID), e.bob,
		map[string]any{"requests": []any{req("Lighthouse Keepers", "Keeper Ann")}, "offers": []any{anyChars("Moss Saga"), anyChars("Tide Clock")}}), http.StatusOK)
	if len(edited.list("offers")) != 2 || edited.num("id") != bobID || strings.Contains(fmt.Sprint(edited.raw), "script") {
		t.Fatalf("edited sign-up %s", edited.raw)
	}
	mine := e.want(e.do("GET", "/api/v1/collections/Yule/challenge/signups", e.bob, nil), http.StatusOK)
	if len(mine.list("signups")) != 1 {
		t.Fatalf("a participant sees others' sign-ups: %s", mine.raw)
	}
	sum := e.want(e.do("GET", "/api/v1/collections/Yule/challenge/summary", e.alice, nil), http.StatusOK)
	if sum.num("signups") != 4 || !strings.Contains(string(sum.raw), `{"type":"fandom","name":"Moss Saga","requests":2,"offers":1}`) {
		t.Fatalf("summary %s", sum.raw)
	}
	e.want(e.do("GET", "/api/v1/collections/Yule/challenge/summary", e.bob, nil), http.StatusForbidden)

	// Matching waits for the close; then sign-ups are refused.
	e.want(e.do("POST", "/api/v1/collections/Yule/challenge/matching", e.alice, nil), http.StatusUnprocessableEntity)
	settings["signups_close_at"] = time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	e.want(e.do("PUT", "/api/v1/collections/Yule/challenge", e.alice, settings), http.StatusOK)
	late := e.user("late")
	if r := signup(late, []map[string]any{req("Moss Saga")}, []map[string]any{anyChars("Moss Saga")}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.errMessage(), "closed") {
		t.Fatalf("a sign-up after close: %d %s", r.status, r.raw)
	}
	e.want(e.do("DELETE", path("/api/v1/collections/Yule/challenge/signups/%d", bobID), e.bob, nil), http.StatusUnprocessableEntity)
	e.want(e.do("POST", "/api/v1/collections/Yule/challenge/matching", e.bob, nil), http.StatusForbidden)
	m := e.want(e.do("POST", "/api/v1/collections/Yule/challenge/matching", e.alice, nil), http.StatusOK)
	// bob→carol (Moss Saga, any character), carol→dave (Tide Clock),
	// dave→bob (Keeper Ann); erin asks for Moss Saga with Keeper Ann,
	// whom no Moss Saga offer names or leaves open but bob's, taken.
	if m.num("matched") != 3 {
		t.Fatalf("matching %s", m.raw)
	}
	if !strings.Contains(string(m.raw), `{"user":"erin","why":"gets no gift: everyone who could write for them writes for someone else"}`) &&
		!strings.Contains(string(m.raw), `"user":"erin"`) {
		t.Fatalf("erin is not listed with why: %s", m.raw)
	}
	again := e.do("POST", "/api/v1/collections/Yule/challenge/matching", e.alice, nil)
	if again.status != http.StatusConflict || again.errMessage() == "" {
		t.Fatalf("matching twice: %d %s", again.status, again.raw)
	}
	as := e.want(e.do("GET", "/api/v1/collections/Yule/challenge/assignments", e.alice, nil), http.StatusOK)
	byRecipient := map[string]map[string]any{}
	for _, x := range as.list("assignments") {
		a := x.(map[string]any)
		byRecipient[a["recipient"].(string)] = a
	}
	if len(byRecipient) != 4 || byRecipient["erin"]["giver"] != nil || byRecipient["carol"]["giver"] != "bob" || byRecipient["carol"]["status"] != "not sent" {
		t.Fatalf("assignments %s", as.raw)
	}
	if rq := byRecipient["carol"]["request"].(map[string]any); rq["fandoms"].([]any)[0] != "Moss Saga" {
		t.Fatalf("carol's request %v", rq)
	}
	// Nobody sees an assignment before it is sent.
	if r := e.want(e.do("GET", "/api/v1/me/assignments", e.bob, nil), http.StatusOK); len(r.list("assignments")) != 0 {
		t.Fatalf("an unsent assignment shows: %s", r.raw)
	}
	e.want(e.do("PATCH", path("/api/v1/collections/Yule/challenge/assignments/%d", int(byRecipient["carol"]["id"].(float64))), e.alice, map[string]any{"giver": "carol"}), http.StatusUnprocessableEntity)

	sent := e.want(e.do("POST", "/api/v1/collections/Yule/challenge/assignments/send", e.alice, nil), http.StatusOK)
	if sent.num("sent") != 3 {
		t.Fatalf("sent %s", sent.raw)
	}
	e.want(e.do("POST", "/api/v1/collections/Yule/challenge/assignments/send", e.alice, nil), http.StatusConflict)
	if _, err := e.site.Jobs.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if m := e.mail.String(); !strings.Contains(m, "Your assignment for Yule Swap") || !strings.Contains(m, "bob@example.test") {
		t.Fatalf("no assignment mail: %s", m)
	}
	inbox := e.want(e.do("GET", "/api/v1/me/inbox", e.bob, nil), http.StatusOK)
	if !strings.Contains(string(inbox.raw), `"assignment"`) {
		t.Fatalf("bob's inbox %s", inbox.raw)
	}
	bobs := e.want(e.do("GET", "/api/v1/me/assignments", e.bob, nil), http.StatusOK)
	if l := bobs.list("assignments"); len(l) != 1 || l[0].(map[string]any)["recipient"] != "carol" {
		t.Fatalf("bob's assignments %s", bobs.raw)
	}

	// bob posts his gift: the assignment is fulfilled.
	w := e.want(e.do("POST", "/api/v1/works", e.bob, map[string]any{"title": "Moss and Stone", "rating": "General Audiences",
		"warnings": []string{"No Archive Warnings Apply"}, "fandoms": []string{"Moss Saga"}, "collections": []string{"Yule"},
		"gifts": []string{"carol"}, "chapters": []map[string]any{{"body": "Green, soft."}}}), http.StatusCreated)
	as = e.want(e.do("GET", "/api/v1/collections/Yule/challenge/assignments", e.alice, nil), http.StatusOK)
	if !strings.Contains(string(as.raw), fmt.Sprintf(`"fulfilled_by":%d`, w.num("id"))) {
		t.Fatalf("not fulfilled: %s", as.raw)
	}
	np := as.list("not_posted")
	if len(np) != 2 {
		t.Fatalf("who has not posted: %s", as.raw)
	}
	// carol defaults; erin pinch-hits for dave, and is told at once.
	var carolsID int
	for _, x := range as.list("assignments") {
		if a := x.(map[string]any); a["giver"] == "carol" {
			carolsID = int(a["id"].(float64))
		}
	}
	e.want(e.do("POST", path("/api/v1/assignments/%d/default", carolsID), e.bob, nil), http.StatusNotFound)
	d := e.want(e.do("POST", path("/api/v1/assignments/%d/default", carolsID), carol, nil), http.StatusOK)
	if d.str("status") != "defaulted" {
		t.Fatalf("default %s", d.raw)
	}
	e.want(e.do("POST", path("/api/v1/assignments/%d/default", carolsID), carol, nil), http.StatusConflict)
	p := e.want(e.do("PATCH", path("/api/v1/collections/Yule/challenge/assignments/%d", carolsID), e.alice, map[string]any{"giver": "erin"}), http.StatusOK)
	if p.obj["pinch_hit"] != true || p.str("status") != "sent" || p.obj["giver"] != "erin" {
		t.Fatalf("pinch-hit %s", p.raw)
	}
	if r := e.want(e.do("GET", "/api/v1/me/assignments", erin, nil), http.StatusOK); len(r.list("assignments")) != 1 {
		t.Fatalf("the pinch-hitter's assignments %s", r.raw)
	}
	// erin posts her pinch-hit outside the collection, then adds it: the
	// assignment is fulfilled when the work joins.
	pw := e.want(e.do("POST", "/api/v1/works", erin, map[string]any{"title": "Late Tide", "rating": "General Audiences",
		"warnings": []string{"No Archive Warnings Apply"}, "fandoms": []string{"Tide Clock"},
		"gifts": []string{"dave"}, "chapters": []map[string]any{{"body": "The clock struck."}}}), http.StatusCreated)
	e.want(e.do("POST", "/api/v1/collections/Yule/items", erin, map[string]any{"work_id": pw.num("id")}), http.StatusCreated)
	as = e.want(e.do("GET", "/api/v1/collections/Yule/challenge/assignments", e.alice, nil), http.StatusOK)
	if !strings.Contains(string(as.raw), fmt.Sprintf(`"fulfilled_by":%d`, pw.num("id"))) {
		t.Fatalf("the pinch-hit added later is not fulfilled: %s", as.raw)
	}
}
