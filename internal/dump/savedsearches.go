package dump

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"quire/internal/archive"
	"quire/internal/listing"
	"quire/internal/store"
)

// savedSearchLine is a reader's saved search. params holds the listing's
// parameters as the API gives them (every value a list); feed_token only
// with --with-secrets (an import without one gives the search a new one,
// so the old feed link stops working).
type savedSearchLine struct {
	Type        string              `json:"type"`
	ID          int64               `json:"id"`
	User        string              `json:"user"`
	Name        string              `json:"name"`
	Params      map[string][]string `json:"params"`
	Default     bool                `json:"default"`
	Digest      string              `json:"digest"`
	DigestSince string              `json:"digest_since,omitempty"`
	FeedToken   string              `json:"feed_token,omitempty"`
	CreatedAt   string              `json:"created_at"`
	UpdatedAt   string              `json:"updated_at"`
}

func savedSearchToLine(s *store.DumpSavedSearch) savedSearchLine {
	v, _ := url.ParseQuery(s.Params)
	l := savedSearchLine{Type: "saved_search", ID: s.ID, User: s.User, Name: s.Name, Params: v, Default: s.Default,
		Digest: s.Digest, FeedToken: s.FeedToken, CreatedAt: ts(s.CreatedAt), UpdatedAt: ts(s.UpdatedAt)}
	if l.Params == nil {
		l.Params = map[string][]string{}
	}
	if !s.DigestSince.IsZero() {
		l.DigestSince = ts(s.DigestSince)
	}
	return l
}

func (im *importer) savedSearch(l savedSearchLine) (*store.DumpSavedSearch, error) {
	s := &store.DumpSavedSearch{User: strings.TrimSpace(l.User)}
	if s.User == "" {
		return nil, errors.New("saved_search: user: required")
	}
	if l.ID < 0 {
		return nil, errors.New("saved_search: id: a positive number")
	}
	s.ID = l.ID
	var err error
	if s.Name, err = archive.CleanSavedSearchName(l.Name); err != nil {
		return nil, fmt.Errorf("saved_search: %v", err)
	}
	if s.Digest, err = archive.CheckDigest(l.Digest); err != nil {
		return nil, fmt.Errorf("saved_search: %v", err)
	}
	v := url.Values(l.Params)
	if _, err := listing.ParseValues(v); err != nil {
		return nil, fmt.Errorf("saved_search %q: params: %v", s.Name, err)
	}
	if s.Params = v.Encode(); len(s.Params) > archive.MaxSavedSearchParams {
		return nil, fmt.Errorf("saved_search %q: params: longer than %d bytes", s.Name, archive.MaxSavedSearchParams)
	}
	s.Default = l.Default
	if s.FeedToken = strings.TrimSpace(l.FeedToken); s.FeedToken == "" {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		s.FeedToken = base64.RawURLEncoding.EncodeToString(b)
	}
	if s.DigestSince, err = im.parseTime("digest_since", l.DigestSince, false); err != nil {
		return nil, fmt.Errorf("saved_search: %v", err)
	}
	if s.CreatedAt, err = im.parseTime("created_at", l.CreatedAt, true); err != nil {
		return nil, fmt.Errorf("saved_search: %v", err)
	}
	if s.UpdatedAt, err = im.parseTime("updated_at", l.UpdatedAt, false); err != nil {
		return nil, fmt.Errorf("saved_search: %v", err)
	}
	if s.CreatedAt.IsZero() {
		return nil, errors.New("saved_search: created_at is required")
	}
	if s.UpdatedAt.IsZero() {
		s.UpdatedAt = s.CreatedAt
	}
	if s.Digest != archive.DigestOff && s.DigestSince.IsZero() {
		// Without it the first digest would hold every matching work.
		s.DigestSince = s.UpdatedAt
	}
	return s, nil
}
