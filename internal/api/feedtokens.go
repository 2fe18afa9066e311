package api

import (
	"net/http"
	"net/url"
	"strings"

	"quire/internal/archive"
)

// feedTokenJSON is the caller's secret feed token (null before they make
// one) and, as an example, their own works' private feed URL.
type feedTokenJSON struct {
	Token    *string `json:"token"`
	UserFeed string  `json:"user_feed,omitempty"`
}

func (a *server) feedTokenOut(u *archive.User, token string) feedTokenJSON {
	if token == "" {
		return feedTokenJSON{}
	}
	return feedTokenJSON{Token: &token, UserFeed: strings.TrimRight(a.site.BaseURL, "/") + "/users/" + url.PathEscape(u.Name) +
		"/feed.atom?" + url.Values{"token": {token}}.Encode()}
}

// GET /api/v1/me/feed_token
func (a *server) feedToken(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	token, err := a.site.FeedToken(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.feedTokenOut(u, token))
	return nil
}

// POST /api/v1/me/feed_token: a new token; the old one stops working.
func (a *server) newFeedToken(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	token, err := a.site.NewFeedToken(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, a.feedTokenOut(u, token))
	return nil
}
