package web

import (
	"bytes"
	"fmt"
	"html/template"
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
	key  string
	html template.HTML
}

const maxCachedBlurbs = 100_000

func blurbKey(w *archive.Work) string {
	k := fmt.Sprintf("%d|%d|%d|%d|%d|%d|%d|%d|%d|%v", w.EditedAt.UnixNano(), w.UpdatedAt.Unix(), w.Hits, w.Kudos, w.Comments,
		w.Bookmarks, w.ChaptersPosted, w.ChaptersExpected, w.Words, w.Restricted)
	for _, c := range w.Creators {
		k += "|" + c.Pseud + "/" + c.UserName
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
			clear(c.m)
		}
		c.m[w.ID] = blurbEntry{key: key, html: h}
		c.mu.Unlock()
	}
	return out, nil
}
