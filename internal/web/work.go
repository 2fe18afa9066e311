package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"quire/internal/archive"
	"quire/internal/site"
)

// workPage is the reading page: a preface, then one chapter or all of them.
type workPage struct {
	Work       *archive.Work
	Head       template.HTML      // the tags, stats, title and byline ("work-head")
	Chapters   []*archive.Chapter // every chapter the reader may see, without bodies
	Shown      []*archive.Chapter // the chapters shown, with bodies
	Prev       *archive.Chapter
	Next       *archive.Chapter
	FullWork   bool
	CanEdit    bool
	Notice     bool   // the adult-content notice instead of the text
	Proceed    string // the link past the notice
	Index      int    // 1-based position of the shown chapter among those visible
	Kudos      *kudosPart
	Subscribed bool                    // the reader follows this work
	pdf        bool                    // PDF downloads are offered
	kindle     bool                    // Kindle downloads are offered
	Later      bool                    // the reader marked it for later
	HiddenByMe bool                    // the reader hid it from their listings
	Comments   map[int64]*commentsPart // by chapter id, for the chapters shown
	Series     []site.SeriesPart       // "Part N of" each series the work is in
	// Collections are the collections the work is in (every state for its
	// creators, approved ones for everyone else).
	Collections []archive.CollectionItem
	// Related are the works this one names and the approved works naming
	// it, as the reader may see them.
	Related *site.WorkRelations

	CanModerate bool // the moderators' hide and delete forms
}

func pathID(r *http.Request, key string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(key), 10, 64)
	if err != nil || id <= 0 {
		return 0, archive.ErrNotFound
	}
	return id, nil
}

func (srv *Server) showWork(w http.ResponseWriter, r *http.Request) error {
	return srv.read(w, r, 0)
}

func (srv *Server) showChapter(w http.ResponseWriter, r *http.Request) error {
	cid, err := pathID(r, "cid")
	if err != nil {
		return err
	}
	return srv.read(w, r, cid)
}

// read renders a work at one chapter (cid, or the first) or in full.
func (srv *Server) read(w http.ResponseWriter, r *http.Request, cid int64) error {
	// The visitor (user, or guest cookie and address) makes a hit count
	// once per visitor per day.
	r = r.WithContext(site.WithVisitor(r.Context(), srv.visitor(w, r)))
	ctx := r.Context()
	u := currentUser(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	work, err := srv.site.Work(ctx, u, id)
	if err != nil {
		if u == nil && errors.Is(err, archive.ErrNotFound) && srv.site.MembersOnly(ctx, id) {
			srv.render(w, r, http.StatusUnauthorized, "members_only", pageData{Title: "Log in to read this work",
				P: "/login?return_to=" + url.QueryEscape(r.URL.RequestURI())})
			return nil
		}
		return err
	}
	chapters, err := srv.site.Chapters(ctx, u, work, false)
	if err != nil {
		return err
	}
	p := &workPage{Work: work, Chapters: chapters, CanEdit: site.CanEdit(u, work), CanModerate: site.CanModerate(u),
		pdf: srv.opt.PDF != nil, kindle: srv.opt.Kindle != nil}
	q := r.URL.Query()
	p.FullWork = q.Get("view_full_work") == "true" || (cid == 0 && u != nil && u.Preferences.ViewFullWork && q.Get("view_full_work") != "false")
	if archive.IsAdult(work.Rating()) && q.Get("view_adult") != "true" && !(u != nil && u.Preferences.ViewAdult) && !p.CanEdit {
		p.Notice = true
		v := url.Values{}
		for k, vals := range q {
			v[k] = vals
		}
		v.Set("view_adult", "true")
		p.Proceed = r.URL.Path + "?" + v.Encode()
		srv.render(w, r, http.StatusOK, "work", pageData{Title: work.Title, P: p})
		return nil
	}
	if len(chapters) > 0 {
		if p.FullWork {
			all, err := srv.site.Chapters(ctx, u, work, true)
			if err != nil {
				return err
			}
			p.Shown = all
		} else {
			at := 0
			if cid != 0 {
				at = -1
				for i, c := range chapters {
					if c.ID == cid {
						at = i
					}
				}
				if at < 0 {
					return archive.ErrNotFound
				}
			}
			c, err := srv.site.Chapter(ctx, currentUser(r), work, chapters[at].ID)
			if err != nil {
				return err
			}
			p.Shown = []*archive.Chapter{c}
			p.Index = at + 1
			if at > 0 {
				p.Prev = chapters[at-1]
			}
			if at+1 < len(chapters) {
				p.Next = chapters[at+1]
			}
		}
	}
	if !p.CanEdit {
		srv.site.CountHit(ctx, work.ID)
	}
	if u != nil {
		p.Subscribed = srv.site.IsSubscribed(ctx, u, "work", work.ID)
		shown := int64(0)
		if !p.FullWork && len(p.Shown) == 1 {
			shown = p.Shown[0].ID
		}
		srv.site.RecordReading(ctx, u, work, shown)
		p.Later = srv.site.IsMarkedForLater(ctx, u, work.ID)
		p.HiddenByMe = srv.site.IsHidden(ctx, u, work.ID)
	}
	if p.Kudos, err = srv.kudosView(r, work); err != nil {
		return err
	}
	if p.Series, err = srv.site.WorkSeries(ctx, u, work); err != nil {
		return err
	}
	if p.Related, err = srv.site.Relations(ctx, u, work); err != nil {
		return err
	}
	if p.Collections, err = srv.site.WorkCollections(ctx, u, work); err != nil {
		return err
	}
	// The parts are the same for every reader of this version of the work
	// (or thread) in one language and zone: both join their sums, and they
	// are rendered with that reader's templates.
	rd := srv.readerOf(r)
	p.Comments = map[int64]*commentsPart{}
	for i, c := range p.Shown {
		cp, err := srv.commentsView(r, work, c.ID)
		if err != nil {
			return err
		}
		p.Comments[c.ID] = cp
		// The entire work has one comment form, at its end (as AO3).
		if p.FullWork && i < len(p.Shown)-1 {
			cp.FormAt = p.Shown[len(p.Shown)-1].ID
		}
		// A thread as a moderator sees it (with the moderators' forms) is
		// rendered each time.
		if !p.CanModerate {
			if cp.HTML, err = srv.fragments.render(srv.pages.set(rd, "work"), "comments", c.ID, commentsSum(cp)^readerSum(rd), cp); err != nil {
				return err
			}
		}
	}
	if p.Head, err = srv.fragments.render(srv.pages.set(rd, "work"), "work-head", work.ID, workHeadSum(work)^readerSum(rd), work); err != nil {
		return err
	}
	msg := ""
	switch q.Get("kudos") {
	case "thanks":
		msg = "Thank you for leaving kudos!"
	case "again":
		msg = "You have already left kudos here. :)"
	}
	srv.render(w, r, http.StatusOK, "work", pageData{Title: work.Title, Message: msg, P: p})
	return nil
}
