//! The front page's headline from what is down now, in Statuspage's top-level words: "Major
//! System Outage" when at least half the services are out (in major or partial outage, one at
//! least in major), "Partial System Outage" when fewer are, and so on (issue 10: "Major system outage" on a day 13 of 16 services were back). Pure: reads the
//! current impacts, never the incidents' severities, which the API's indicator keeps.

use super::Impact;
use super::state::Indicator;

/// The headline's colour (in the indicator's words) and its theme string key; with nothing down
/// (an open incident whose services are all back), the indicator's own.
pub fn banner(services: &[Option<Impact>], indicator: Indicator) -> (Indicator, String) {
    match Headline::of(services) {
        Some(h) => (h.level(), format!("headline_{}", h.as_str())),
        None => (indicator, format!("indicator_{}", indicator.as_str())),
    }
}

/// Statuspage's top-level status, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Headline {
    MajorSystemOutage,
    PartialSystemOutage,
    MinorServiceOutage,
    DegradedSystemService,
    PartiallyDegradedService,
    ServiceUnderMaintenance,
}

impl Headline {
    /// From each service's current impact (`None`: operational); `None` when nothing is hit.
    pub fn of(services: &[Option<Impact>]) -> Option<Headline> {
        let worst = services.iter().flatten().max()?;
        let all = services.iter().all(|s| s.as_ref() == Some(worst));
        // Half a company out, some of it wholly, is a major outage even while some services
        // limp along (16 Oct: 14 of 16 out, 7 wholly); 2 of 16 out on 19 Oct is not.
        let down = (services.iter())
            .filter(|s| matches!(s, Some(Impact::MajorOutage | Impact::PartialOutage)))
            .count();
        if *worst == Impact::MajorOutage && down * 2 >= services.len() {
            return Some(Headline::MajorSystemOutage);
        }
        Some(match (worst, all) {
            (Impact::MajorOutage, true) => Headline::MajorSystemOutage,
            (Impact::MajorOutage, false) | (Impact::PartialOutage, true) => {
                Headline::PartialSystemOutage
            }
            (Impact::PartialOutage, false) => Headline::MinorServiceOutage,
            (Impact::DegradedPerformance, true) => Headline::DegradedSystemService,
            (Impact::DegradedPerformance, false) => Headline::PartiallyDegradedService,
            (Impact::UnderMaintenance, _) => Headline::ServiceUnderMaintenance,
        })
    }

    /// The theme's string key: `headline_major_system_outage`, ….
    pub fn as_str(self) -> &'static str {
        match self {
            Headline::MajorSystemOutage => "major_system_outage",
            Headline::PartialSystemOutage => "partial_system_outage",
            Headline::MinorServiceOutage => "minor_service_outage",
            Headline::DegradedSystemService => "degraded_system_service",
            Headline::PartiallyDegradedService => "partially_degraded_service",
            Headline::ServiceUnderMaintenance => "service_under_maintenance",
        }
    }

    /// The banner's colour, as the indicator that has it.
    pub fn level(self) -> Indicator {
        match self {
            Headline::MajorSystemOutage => Indicator::Critical,
            Headline::PartialSystemOutage => Indicator::Major,
            Headline::MinorServiceOutage
            | Headline::DegradedSystemService
            | Headline::PartiallyDegradedService => Indicator::Minor,
            Headline::ServiceUnderMaintenance => Indicator::Maintenance,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Impact::*;

    #[test]
    fn three_of_sixteen_down_is_a_partial_system_outage() {
        let mut now = vec![None; 13];
        now.extend([
            Some(MajorOutage),
            Some(PartialOutage),
            Some(DegradedPerformance),
        ]);
        assert_eq!(Headline::of(&now), Some(Headline::PartialSystemOutage));
    }

    #[test]
    fn half_the_services_down_or_more_is_a_major_system_outage() {
        let now = [Some(MajorOutage), Some(MajorOutage)];
        assert_eq!(Headline::of(&now), Some(Headline::MajorSystemOutage));
        let mut fire = vec![Some(MajorOutage); 15];
        fire.push(Some(PartialOutage));
        assert_eq!(Headline::of(&fire), Some(Headline::MajorSystemOutage));
        let half = [Some(MajorOutage), None];
        assert_eq!(Headline::of(&half), Some(Headline::MajorSystemOutage));
        let third = [Some(MajorOutage), None, Some(DegradedPerformance)];
        assert_eq!(Headline::of(&third), Some(Headline::PartialSystemOutage));
        let mut sixteenth = vec![Some(MajorOutage); 7];
        sixteenth.extend([Some(PartialOutage); 7]);
        sixteenth.extend([None, None]);
        assert_eq!(Headline::of(&sixteenth), Some(Headline::MajorSystemOutage));
        let all_partial_but_one = [Some(PartialOutage), Some(PartialOutage), None];
        assert_eq!(
            Headline::of(&all_partial_but_one),
            Some(Headline::MinorServiceOutage)
        );
    }

    #[test]
    fn the_worst_impact_names_the_headline() {
        assert_eq!(Headline::of(&[None, None]), None);
        let some_partial = [Some(PartialOutage), Some(DegradedPerformance)];
        assert_eq!(
            Headline::of(&some_partial),
            Some(Headline::MinorServiceOutage)
        );
        let all_partial = [Some(PartialOutage), Some(PartialOutage)];
        assert_eq!(
            Headline::of(&all_partial),
            Some(Headline::PartialSystemOutage)
        );
        let degraded = [Some(DegradedPerformance), None];
        assert_eq!(
            Headline::of(&degraded),
            Some(Headline::PartiallyDegradedService)
        );
        let upkeep = [Some(UnderMaintenance), None];
        assert_eq!(
            Headline::of(&upkeep),
            Some(Headline::ServiceUnderMaintenance)
        );
    }
}
