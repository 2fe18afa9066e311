package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// An error's code stays English; its message speaks the token user's
// language, else the Accept-Language header's, else English.
func TestErrorMessagesInTheCallersLanguage(t *testing.T) {
	e := newEnv(t)
	call := func(token, accept string) (code, message string) {
		t.Helper()
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/works", strings.NewReader(`{"title": "", "rating": "General Audiences", "warnings": ["No Archive Warnings Apply"], "fandoms": ["Lantern Tales"], "chapters": [{"body": "Some text."}]}`))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		if accept != "" {
			req.Header.Set("Accept-Language", accept)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 422 {
			t.Fatalf("status %d: %s", res.StatusCode, b)
		}
		r := response{raw: b}
		if err := json.Unmarshal(b, &r.obj); err != nil {
			t.Fatal(err)
		}
		return r.errCode(), r.errMessage()
	}
	if code, msg := call(e.alice, ""); code != "invalid" || msg != "title: can't be blank" {
		t.Errorf("English: %s %q", code, msg)
	}
	if code, msg := call(e.alice, "de-DE,de;q=0.9"); code != "invalid" || msg != "title: darf nicht leer sein" {
		t.Errorf("Accept-Language de: %s %q", code, msg)
	}
	// The token user's saved language beats the header.
	u, err := e.store.UserByName(context.Background(), "alice")
	if err != nil {
		t.Fatal(err)
	}
	p := u.Preferences
	p.Locale = "ja"
	if _, err := e.site.SetPreferences(context.Background(), u, p); err != nil {
		t.Fatal(err)
	}
	if code, msg := call(e.alice, "de"); code != "invalid" || msg != "title：入力してください" && msg != "title: 入力してください" {
		t.Errorf("preference ja: %s %q", code, msg)
	}
	// An unknown token: the header's language, the code unchanged.
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/works", nil)
	req.Header.Set("Authorization", "Bearer nope")
	req.Header.Set("Accept-Language", "zh-CN")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 401 || !strings.Contains(string(b), `"code":"bad_token"`) {
		t.Errorf("bad token: %d %s", res.StatusCode, b)
	}
}
