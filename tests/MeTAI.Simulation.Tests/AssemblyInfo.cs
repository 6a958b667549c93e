// The Hil tests run real threads on real transports (pty, MQTT) with timing budgets; on a 2-core machine they must
// not compete with each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
