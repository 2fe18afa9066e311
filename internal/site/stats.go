package site

import (
	"context"
	"sort"

	"quire/internal/archive"
	"quire/internal/store"
)

// WorkStats is one work's line on its creator's statistics page.
type WorkStats struct {
	Work          *archive.Work
	Subscriptions int
}

// CreatorStats is a creator's statistics: per work and in total.
type CreatorStats struct {
	Works                                        []WorkStats
	Hits, Kudos, Comments, Bookmarks, Subscribed int64
	UserSubscribers                              int // readers following the creator
}

// Stats gathers u's statistics over every work u created (drafts included,
// for their creator's eyes only). sortBy is hits (default), kudos,
// comments, bookmarks, subscriptions, words or title.
func (s *Site) Stats(ctx context.Context, u *archive.User, sortBy string) (*CreatorStats, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	ids, err := s.store.WorkIDsByUser(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	works, err := s.store.WorksByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	subs, err := s.store.SubscriberCounts(ctx, store.SubWork, ids)
	if err != nil {
		return nil, err
	}
	users, err := s.store.SubscriberCounts(ctx, store.SubUser, []int64{u.ID})
	if err != nil {
		return nil, err
	}
	st := &CreatorStats{UserSubscribers: users[u.ID]}
	for _, w := range works {
		ws := WorkStats{Work: w, Subscriptions: subs[w.ID]}
		st.Works = append(st.Works, ws)
		st.Hits += w.Hits
		st.Kudos += w.Kudos
		st.Comments += w.Comments
		st.Bookmarks += w.Bookmarks
		st.Subscribed += int64(ws.Subscriptions)
	}
	key := func(ws WorkStats) int64 {
		switch sortBy {
		case "kudos":
			return ws.Work.Kudos
		case "comments":
			return ws.Work.Comments
		case "bookmarks":
			return ws.Work.Bookmarks
		case "subscriptions":
			return int64(ws.Subscriptions)
		case "words":
			return int64(ws.Work.Words)
		}
		return ws.Work.Hits
	}
	sort.SliceStable(st.Works, func(i, j int) bool {
		if sortBy == "title" {
			return archive.TitleSortKey(st.Works[i].Work.Title) < archive.TitleSortKey(st.Works[j].Work.Title)
		}
		if a, b := key(st.Works[i]), key(st.Works[j]); a != b {
			return a > b
		}
		return st.Works[i].Work.ID > st.Works[j].Work.ID
	})
	return st, nil
}
