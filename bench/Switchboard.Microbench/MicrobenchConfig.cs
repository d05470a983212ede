using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;

namespace Switchboard.Microbench;

/// <summary>
/// The columns every run reports. bench/micro.sh adds <c>--inProcess</c>: BenchmarkDotNet's default toolchain
/// generates and restores a child project per run, which the partial package mirror cannot always satisfy and
/// which costs a build on two cores. Allocations are measured per operation by <see cref="MemoryDiagnoser"/> either way.
/// </summary>
internal sealed class MicrobenchConfig : ManualConfig
{
    public MicrobenchConfig()
    {
        Add(DefaultConfig.Instance);
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median);
        HideColumns(Column.Error, Column.StdDev);
        WithOption(ConfigOptions.JoinSummary, true);
    }
}
