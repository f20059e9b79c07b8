"""Each case's milestones: start, achieve, pause, re-target; how they show; queue ordering."""
