package api

import (
	"strconv"
	"strings"

	"quire/internal/site"
)

// bookmarkSeriesJSON is the series a bookmark is of, as the caller sees it.
type bookmarkSeriesJSON struct {
	ID       int64    `json:"id"`
	Title    string   `json:"title"`
	Creators []string `json:"creators"`
	Summary  string   `json:"summary"`
	Complete bool     `json:"complete"`
	Works    int      `json:"works"` // the parts the caller may see
	URL      string   `json:"url"`
}

// seriesBookmark fills the series fields of a series bookmark's JSON.
func (a *server) seriesBookmark(j *bookmarkJSON, item site.BookmarkItem) {
	b := item.Bookmark
	title := b.SeriesTitle
	if b.SeriesID != 0 {
		id := b.SeriesID
		j.SeriesID = &id
	}
	if v := item.Series; v != nil {
		title = v.Title
		j.Available = true
		j.Series = &bookmarkSeriesJSON{ID: v.ID, Title: v.Title, Creators: []string{}, Summary: v.Summary.HTML, Complete: v.Complete,
			Works: len(v.Visible), URL: strings.TrimRight(a.site.BaseURL, "/") + "/series/" + strconv.FormatInt(v.ID, 10)}
		for _, c := range v.Creators {
			j.Series.Creators = append(j.Series.Creators, c.Pseud)
		}
	} else {
		j.Status = site.SeriesGoneMessage
	}
	j.SeriesTitle = &title
}
