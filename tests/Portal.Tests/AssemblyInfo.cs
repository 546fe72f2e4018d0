// One host per fixture and a shared PostgreSQL: collections run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
