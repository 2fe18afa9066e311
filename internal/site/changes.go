package site

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"quire/internal/store"
)

// ChangeFeed is the feed of committed changes that several nodes on one
// PostgreSQL read to keep their listing indexes and caches exact (see
// store/postgres.Feed).
type ChangeFeed interface {
	Poll(ctx context.Context) ([]store.Change, error)
	Listen(ctx context.Context, wake chan<- struct{})
	Behind() time.Duration
	Prune(ctx context.Context, age time.Duration) error
}

// ChangeRetention is how long the feed keeps rows: a node that cannot read
// the feed for longer must be restarted (it then builds its index afresh).
const ChangeRetention = 7 * 24 * time.Hour

// Follow applies the feed's changes as they are announced (and, should an
// announcement be lost, at least once a second) until ctx ends.
func (s *Site) Follow(ctx context.Context, feed ChangeFeed) {
	wake := make(chan struct{}, 1)
	go feed.Listen(ctx, wake)
	poll := time.NewTicker(time.Second)
	defer poll.Stop()
	prune := time.NewTicker(time.Hour)
	defer prune.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-poll.C:
		case <-prune.C:
			if err := feed.Prune(ctx, ChangeRetention); err != nil && ctx.Err() == nil {
				s.Log.Warn("change feed: prune", "err", err)
			}
		}
		changes, err := feed.Poll(ctx)
		if err != nil {
			if ctx.Err() == nil {
				s.Log.Warn("change feed: read", "err", err)
			}
			continue
		}
		if err := s.ApplyChanges(ctx, changes); err != nil && ctx.Err() == nil {
			s.Log.Warn("change feed: apply", "err", err)
		}
	}
}

// ApplyChanges brings the index and caches up to the store's state for
// what the changes name. It re-reads absolute state, so a change applied
// twice, or one this node made itself, changes nothing further.
func (s *Site) ApplyChanges(ctx context.Context, changes []store.Change) error {
	if len(changes) == 0 {
		return nil
	}
	graph := false
	works := map[int64]bool{}
	counts := map[int64]bool{}
	var order, countOrder []int64
	for _, c := range changes {
		switch c.Kind {
		case "graph":
			graph = true
		case "work":
			if !works[c.Ref] {
				works[c.Ref] = true
				order = append(order, c.Ref)
			}
		case "counts":
			if !counts[c.Ref] {
				counts[c.Ref] = true
				countOrder = append(countOrder, c.Ref)
			}
		case "mutes":
			s.forgetMutes(c.Ref)
		case "thread":
			s.forgetThread(c.Ref)
		case "kudos":
			s.forgetKudos(c.Ref)
		case "names":
			s.forgetViews()
		case "settings":
			s.forgetPolicy()
		}
	}
	var errs []error
	if graph {
		errs = append(errs, s.RefreshGraph(ctx))
	}
	for _, id := range order {
		errs = append(errs, s.reindex(ctx, id))
	}
	for _, id := range countOrder {
		if works[id] {
			continue
		}
		errs = append(errs, s.refreshCounts(ctx, id))
	}
	s.noteApplied(len(changes), changes[len(changes)-1].At)
	return errors.Join(errs...)
}

// feedStats is what /metrics says of the change feed.
type feedStats struct {
	applied atomic.Int64 // changes applied
	lagNano atomic.Int64 // commit-to-apply delay of the latest change
}

func (s *Site) noteApplied(n int, committed time.Time) {
	s.feed.applied.Add(int64(n))
	if !committed.IsZero() {
		s.feed.lagNano.Store(int64(time.Since(committed)))
	}
}

// FeedApplied is how many change-feed rows this node has applied.
func (s *Site) FeedApplied() int64 { return s.feed.applied.Load() }

// FeedLag is how long after its commit the latest applied change was applied.
func (s *Site) FeedLag() time.Duration { return time.Duration(s.feed.lagNano.Load()) }
