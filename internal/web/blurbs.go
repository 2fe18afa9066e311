package web

import (
	"bytes"
	"html/template"
	"strings"
	"sync"

	"quire/internal/archive"
)

// blurbCache keeps each work's rendered blurb, keyed by everything the blurb
// shows, so a listing page renders only the blurbs that changed. It is the
// same for every reader: visibility is decided before a work reaches it.
type blurbCache struct {
	mu sync.Mutex
	m  map[int64]blurbEntry
}

type blurbEntry struct {
	key  blurbKeyOf
	html template.HTML
}

const maxCachedBlurbs = 100_000

// blurbKeyOf is everything a blurb shows that can change without a new
// edit stamp: the counters, dates, chapters, restriction and creators.
type blurbKeyOf struct {
	edited, updated                  int64
	hits, kudos, comments, bookmarks int64
	posted, expected, words          int
	restricted                       bool
	mystery                          bool
	creators                         string
	gifts                            string
}

func blurbKey(w *archive.Work) blurbKeyOf {
	k := blurbKeyOf{edited: w.EditedAt.UnixNano(), updated: w.UpdatedAt.Unix(),
		hits: int64(w.Hits), kudos: int64(w.Kudos), comments: int64(w.Comments), bookmarks: int64(w.Bookmarks),
		posted: w.ChaptersPosted, expected: w.ChaptersExpected, words: w.Words, restricted: w.Restricted, mystery: w.Mystery}
	for _, g := range w.Gifts {
		k.gifts += "|" + g.Name
	}
	if len(w.Creators) == 1 && w.Creators[0].Pseud == w.Creators[0].UserName {
		k.creators = w.Creators[0].Pseud // the common case, without building a string
	} else {
		var b strings.Builder
		for _, c := range w.Creators {
			b.WriteString("|" + c.Pseud + "/" + c.UserName)
		}
		k.creators = b.String()
	}
	return k
}

// render returns the blurbs of works, rendering the ones not cached.
func (c *blurbCache) render(t *template.Template, works []*archive.Work) ([]template.HTML, error) {
	out := make([]template.HTML, len(works))
	var buf bytes.Buffer
	for i, w := range works {
		key := blurbKey(w)
		c.mu.Lock()
		e, ok := c.m[w.ID]
		c.mu.Unlock()
		if ok && e.key == key {
			out[i] = e.html
			continue
		}
		buf.Reset()
		if err := t.ExecuteTemplate(&buf, "blurb", w); err != nil {
			return nil, err
		}
		h := template.HTML(buf.String()) // html/template output: already escaped
		out[i] = h
		c.mu.Lock()
		if len(c.m) >= maxCachedBlurbs {
			// Shed an eighth, in the map's random order, rather than
			// making every listing miss at once.
			n := len(c.m) / 8
			for id := range c.m {
				if n--; n < 0 {
					break
				}
				delete(c.m, id)
			}
		}
		c.m[w.ID] = blurbEntry{key: key, html: h}
		c.mu.Unlock()
	}
	return out, nil
}
