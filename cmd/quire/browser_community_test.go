package main

// The community side in a real browser: a guest leaves kudos and a comment
// on a work that allows guest comments, and a logged-in reader subscribes
// to the work and finds the new chapter in their inbox. It uses the same
// once-built binary, server starter, tabs and page checks as
// browser_test.go; any JavaScript error, failed request or error status the
// browser reports fails the test.

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// postJSONForCommunity POSTs body to the API with token and decodes the
// 201 answer into out.
func postJSONForCommunity(t *testing.T, url, token string, body, out any) {
	t.Helper()
	j, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(j))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST %s: %d %s", url, resp.StatusCode, buf.Bytes())
	}
	if err := json.Unmarshal(buf.Bytes(), out); err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
}

func TestBrowserGuestKudosCommentAndSubscription(t *testing.T) {
	chromium := findChromium(t)
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	start := time.Now()
	data := t.TempDir()
	token := addWriterForCLI(t, data, "harbourkeeper", "harbourkeeper@example.org")
	base := startServerForCLI(t, 30*time.Second, nil, "--data", data, "--login-rate-limit", "0").URL

	// The creator posts a work open to guest comments through the API.
	var work struct {
		ID int64 `json:"id"`
	}
	postJSONForCommunity(t, base+"/api/v1/works", token, map[string]any{
		"title": "Tides of the Outer Harbour", "rating": "General Audiences", "warnings": []string{"No Archive Warnings Apply"},
		"fandoms": []string{"Original Work"}, "comment_permissions": "everyone", "chapters_expected": 3,
		"chapters": []map[string]any{{"title": "Low Water", "body": "<p>The boats sat on the mud and waited for the sea.</p>"}},
	}, &work)
	workPath := "/works/" + strconv.FormatInt(work.ID, 10)

	browserCtx, probs := startBrowser(t, chromium, start)

	// A guest: kudos, then a comment.
	g := newTab(t, browserCtx, "guest", base, probs, true)
	g.open(workPath)
	if g.exists(`header form[action="/logout"]`) {
		g.fatalf("the guest's tab is logged in")
	}
	g.wantText("section.kudos .kudos-line", "No kudos yet")
	g.follow(`section.kudos form[action="` + workPath + `/kudos"] button[type=submit]`)
	g.wantPath(workPath + `(\?.*)?(#.*)?`)
	g.wantText("section.kudos .kudos-line", "1 kudos from 1 guest")
	g.wantText("dd.kudos", "1")

	g.typeInto("form.comment-form input[name=name]", "Passing Sailor")
	g.typeInto("form.comment-form input[name=email]", "sailor@example.org")
	g.typeInto("form.comment-form textarea[name=body]", "The mud and the waiting: exactly right.")
	g.follow(`form.comment-form button[type=submit]`)
	g.wantText("ol.thread", "The mud and the waiting: exactly right.")
	g.wantText("ol.thread", "Passing Sailor")
	g.wantText("dd.comments", "1")

	// A reader signs up, subscribes, and hears of the next chapter.
	r := newTab(t, browserCtx, "reader", base, probs, true)
	r.open("/signup")
	r.typeInto("#s-name", "tidewatcher")
	r.typeInto("#s-email", "tidewatcher@example.org")
	r.typeInto("#s-password", "a long tidal password")
	r.typeInto("#s-confirm", "a long tidal password")
	r.follow(`form[action="/signup"] button[type=submit]`)
	if !r.exists(`header form[action="/logout"] button`) {
		r.fatalf("signing up did not log in")
	}
	r.open(workPath)
	r.wantText("ol.thread", "The mud and the waiting") // the guest's comment is there for everyone
	r.follow(`form.subscribe-action button[type=submit]`)
	r.wantText("form.subscribe-action button[type=submit]", "Unsubscribe")

	var chapter struct {
		ID int64 `json:"id"`
	}
	postJSONForCommunity(t, base+"/api/v1/works/"+strconv.FormatInt(work.ID, 10)+"/chapters", token,
		map[string]any{"title": "The Turn of the Tide", "body": "<p>At four the water came back, all at once.</p>"}, &chapter)

	deadline := time.Now().Add(15 * time.Second)
	for {
		r.open("/inbox")
		if strings.Contains(r.text("ol.inbox"), "The Turn of the Tide") {
			break
		}
		if time.Now().After(deadline) {
			r.fatalf("no inbox entry for the new chapter after 15 s")
		}
		time.Sleep(300 * time.Millisecond)
	}
	r.wantText("ol.inbox li.inbox-entry.unread", "harbourkeeper posted chapter 2: The Turn of the Tide")
	r.wantText("ol.inbox li.inbox-entry.unread", "Tides of the Outer Harbour")
	r.follow(`ol.inbox li.inbox-entry a[href*="/chapters/"]`)
	r.wantPath(workPath + `/chapters/\d+(\?.*)?(#.*)?`)
	r.wantText("#chapters", "At four the water came back")
}
