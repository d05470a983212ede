using BenchmarkDotNet.Running;
using Switchboard.Microbench;

// bash bench/micro.sh [filter] [BenchmarkDotNet options]; see docs/benchmarks.md.
BenchmarkSwitcher.FromAssembly(typeof(MicrobenchConfig).Assembly).Run(args, new MicrobenchConfig());
