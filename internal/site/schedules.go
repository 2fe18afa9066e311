package site

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"quire/internal/archive"
	"quire/internal/jobs"
)

// Scheduled publication. A draft chapter (or a new work) with a publish_at
// in the future is published by a durable job due at that time: whichever
// node's runner claims the job publishes it, by a write conditional on the
// row still being a draft scheduled for exactly that time, so a retried or
// doubled job (two nodes, a node killed mid-way, a restart, a schedule
// moved since) publishes once. Subscribers are told then; the schedule
// stays on the published row until the notices are out, so a runner that
// dies in between leaves them to the job's retry, and the inbox takes each
// notice once.

// PublishJob is the job kind that publishes a scheduled draft.
const PublishJob = "publish_scheduled"

type publishPayload struct {
	WorkID    int64 `json:"work_id"`
	ChapterID int64 `json:"chapter_id,omitempty"`
	At        int64 `json:"at"`
}

// checkSchedule refuses a changed publication time that is past or more
// than a year ahead (an unchanged one stays, whatever the time).
func (s *Site) checkSchedule(old, at time.Time) error {
	if at.IsZero() || at.Equal(old) {
		return nil
	}
	now := s.Now()
	if !at.After(now) {
		return archive.Invalid("publish_at", "must be in the future")
	}
	if at.After(now.Add(archive.MaxScheduleAhead)) {
		return archive.Invalid("publish_at", "may be at most a year ahead")
	}
	return nil
}

// schedule enqueues the publication of a work (chapterID 0) or chapter.
func (s *Site) schedule(ctx context.Context, workID, chapterID int64, at time.Time) error {
	if at.IsZero() || s.Jobs == nil {
		return nil
	}
	p := publishPayload{WorkID: workID, ChapterID: chapterID, At: at.Unix()}
	if err := s.Jobs.EnqueueAt(ctx, PublishJob, p, at); err != nil {
		return fmt.Errorf("schedule publication: %w", err)
	}
	return nil
}

// runPublish is the job: publish, reindex, notify, then drop the schedule.
func (s *Site) runPublish(ctx context.Context, payload []byte) error {
	var p publishPayload
	if err := json.Unmarshal(payload, &p); err != nil || p.WorkID <= 0 {
		return jobs.Permanent(fmt.Errorf("publish job: bad payload %q", payload))
	}
	at := time.Unix(p.At, 0).UTC()
	if err := s.store.PublishScheduled(ctx, p.WorkID, p.ChapterID, at, s.Now().Truncate(time.Second)); err != nil {
		return err
	}
	if err := s.reindex(ctx, p.WorkID); err != nil {
		return err
	}
	w, err := s.store.Work(ctx, p.WorkID)
	if err != nil {
		return nil // deleted since: nothing to publish
	}
	pending := false
	if p.ChapterID == 0 {
		pending = !w.Draft && w.PublishAt.Equal(at)
	} else if c, err := s.store.Chapter(ctx, p.WorkID, p.ChapterID); err == nil {
		pending = !c.Draft && c.PublishAt.Equal(at)
	}
	if !pending {
		return nil // published by another runner, rescheduled or unscheduled since
	}
	s.notifyPublished(context.WithoutCancel(ctx), p.WorkID, p.ChapterID)
	if p.ChapterID == 0 {
		if w, err := s.store.Work(ctx, p.WorkID); err == nil {
			s.notifyPosted(ctx, w)
		}
	}
	return s.store.ClearSchedule(ctx, p.WorkID, p.ChapterID, at)
}

// ResumeSchedules enqueues a publication job for every schedule that has
// none pending (an imported archive's): serve calls it at start. It
// returns how many it enqueued.
func (s *Site) ResumeSchedules(ctx context.Context) (int, error) {
	scs, err := s.store.PendingSchedules(ctx)
	if err != nil || len(scs) == 0 {
		return 0, err
	}
	queued := map[publishPayload]bool{}
	payloads, err := s.store.PendingPayloads(ctx, PublishJob)
	if err != nil {
		return 0, err
	}
	for _, b := range payloads {
		var p publishPayload
		if json.Unmarshal(b, &p) == nil {
			queued[p] = true
		}
	}
	n := 0
	for _, sc := range scs {
		if queued[publishPayload{WorkID: sc.WorkID, ChapterID: sc.ChapterID, At: sc.At.Unix()}] {
			continue
		}
		if err := s.schedule(ctx, sc.WorkID, sc.ChapterID, sc.At); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
