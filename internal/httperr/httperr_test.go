package httperr_test

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/httperr"
	"quire/internal/i18n"
	"quire/internal/site"
)

// One map answers every error the pages and the API meet: the status, the
// code, the words the user reads, and when a rate limit lifts.
func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		err   error
		want  httperr.Class
		retry int
	}{
		{fmt.Errorf("work 3: %w", archive.ErrNotFound), httperr.Class{Status: 404, Code: "not_found", Message: "not found"}, 0},
		{archive.Explain(archive.ErrNotFound, "there is no work 3 that you can see"), httperr.Class{Status: 404, Code: "not_found", Message: "there is no work 3 that you can see"}, 0},
		{fmt.Errorf("post: %w", archive.Explain(archive.ErrConflict, "you have already left kudos on this work")),
			httperr.Class{Status: 409, Code: "conflict", Message: "you have already left kudos on this work"}, 0},
		{fmt.Errorf("insert: %w", archive.ErrConflict), httperr.Class{Status: 409, Code: "conflict", Message: "that already exists"}, 0},
		{archive.Explain(archive.ErrAuth, "log in to comment on news"), httperr.Class{Status: 401, Code: "unauthorized", Message: "log in to comment on news"}, 0},
		{&site.Refusal{Code: "comments_disabled", Message: "no comments here"}, httperr.Class{Status: 403, Code: "comments_disabled", Message: "no comments here"}, 0},
		{&site.RateLimitError{Wait: 1500 * time.Millisecond, Message: "slow"}, httperr.Class{Status: 429, Code: "rate_limited", Message: "slow", RetryAfter: 1500 * time.Millisecond}, 2},
		{&site.ReportLimitError{Limit: 5, Wait: time.Minute}, httperr.Class{Status: 429, Code: "rate_limited",
			Message: (&site.ReportLimitError{Limit: 5, Wait: time.Minute}).Error(), RetryAfter: time.Minute}, 60},
		{&httperr.Error{Status: 429, Code: "rate_limited", Message: "api", RetryAfter: 10 * time.Millisecond}, httperr.Class{Status: 429, Code: "rate_limited", Message: "api", RetryAfter: 10 * time.Millisecond}, 1},
		{archive.Invalid("title", "is required"), httperr.Class{Status: 422, Code: "invalid", Message: "title: is required"}, 0},
		{&http.MaxBytesError{Limit: 10}, httperr.Class{Status: 413, Code: "too_large", Message: "the request body is larger than the limit"}, 0},
		{errors.New("disk on fire"), httperr.Class{Status: 500, Code: "internal", Message: "something went wrong on our side"}, 0},
	} {
		got := httperr.Classify(tc.err)
		got.Worded = false                         // checked below
		got.Key, got.Args, got.Field = "", nil, "" // TestClassText
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%v:\n got %+v\nwant %+v", tc.err, got, tc.want)
		}
		if worded := httperr.Classify(tc.err).Worded; worded != (tc.want.Message != "not found" && tc.want.Code != "internal" &&
			tc.want.Message != "that already exists" && tc.want.Code != "too_large") {
			t.Errorf("%v: Worded %v", tc.err, worded)
		}
		if got.RetrySeconds() != tc.retry {
			t.Errorf("%v: Retry-After %d, want %d", tc.err, got.RetrySeconds(), tc.retry)
		}
	}
}

// The message reads in a language: a validation error keeps the API's
// field name, a message the catalog lacks stays English, arguments pass
// through.
func TestClassText(t *testing.T) {
	cat, err := i18n.Load("", "")
	if err != nil {
		t.Fatal(err)
	}
	de, ja := cat.Lookup("de"), cat.Lookup("ja")
	c := httperr.Classify(archive.Invalid("title", "can't be blank"))
	if got := c.Text(de); got != "title: darf nicht leer sein" {
		t.Errorf("de: %q", got)
	}
	if got := c.Text(nil); got != "title: can't be blank" {
		t.Errorf("no locale: %q", got)
	}
	c = httperr.Classify(archive.Invalid("body", "is %d characters long; the limit is %d", 600000, 500000))
	if got := c.Text(de); got != "body: ist 600.000 Zeichen lang; erlaubt sind 500.000" {
		t.Errorf("de: %q", got)
	}
	if got := httperr.Classify(fmt.Errorf("x: %w", archive.ErrNotFound)).Text(ja); got != "見つかりません" {
		t.Errorf("ja: %q", got)
	}
	if got := httperr.Classify(archive.Invalid("x", "a message no catalog has: %s", "z")).Text(ja); got != "x: a message no catalog has: z" {
		t.Errorf("ja fallback: %q", got)
	}
}
