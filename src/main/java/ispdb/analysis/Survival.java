package ispdb.analysis;

import ispdb.IspdbException;
import ispdb.db.AnalysisMapper;
import ispdb.db.Database;
import ispdb.model.LogRankTest;
import ispdb.model.SurvivalCount;
import ispdb.model.SurvivalPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;

/** survival: Kaplan-Meier curves and the log-rank test from survival_time and event_observed. */
public final class Survival {
    /** How customers are grouped; the names are the command line's. */
    public enum By {
        GENDER("gender"), CUSTOMER_TYPE("customer-type");

        private final String option;

        By(String option) {
            this.option = option;
        }

        public String option() {
            return option;
        }
    }

    /** The group's name when customers are not grouped. */
    public static final String ALL = "all";

    private Survival() {
    }

    /** Each group's counts in increasing time, the groups in the order of their names. */
    public static Map<String, List<SurvivalCount>> counts(Database db, By by) {
        db.useMappers(AnalysisMapper.class);
        try (SqlSession session = db.session(ExecutorType.SIMPLE)) {
            return groups(session.getMapper(AnalysisMapper.class).survivalCounts(by == null ? null : by.option()));
        } catch (IspdbException e) {
            throw e;
        } catch (RuntimeException e) {
            throw db.failure("count the customers' survival times", e);
        }
    }

    /** The counts by group ({@link #ALL} for a null group) in increasing time, the groups in the order of their names. */
    public static Map<String, List<SurvivalCount>> groups(List<SurvivalCount> rows) {
        Map<String, List<SurvivalCount>> groups = new TreeMap<>();
        for (SurvivalCount c : rows) {
            groups.computeIfAbsent(c.group() == null ? ALL : c.group(), g -> new ArrayList<>()).add(c);
        }
        groups.values().forEach(list -> list.sort(Comparator.comparingLong(SurvivalCount::time)));
        return groups;
    }

    /** The Kaplan-Meier estimate of each group, one after the other. */
    public static List<SurvivalPoint> curves(Map<String, List<SurvivalCount>> groups, KaplanMeier.Interval interval) {
        List<SurvivalPoint> points = new ArrayList<>();
        groups.forEach((group, counts) -> points.addAll(KaplanMeier.estimate(group, counts, interval)));
        return points;
    }

    public static LogRankTest logRank(Map<String, List<SurvivalCount>> groups) {
        return LogRank.test(new ArrayList<>(groups.values()));
    }
}
