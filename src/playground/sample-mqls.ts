/**
 * The MQLs the playground offers to send, one per way the example configuration routes a lead. The README shows
 * the same ones; a test checks that the routing sandbox and `npm run route` agree on them.
 */
export const SAMPLE_MQLS: { label: string; mql: Record<string, unknown> }[] = [
  {
    label: "EMEA mid-market (rule emea-mid-market)",
    mql: {
      source: "hubspot",
      externalId: "12345",
      email: "ada@example.com",
      firstName: "Ada",
      lastName: "Lovelace",
      company: "Analytical Engines",
      country: "GB",
      region: "EMEA",
      employees: 250,
      score: 87,
      campaign: "Q4 webinar",
    },
  },
  {
    label: "US enterprise (rule na-enterprise)",
    mql: {
      source: "salesforce",
      externalId: "00Q-7001",
      email: "grace@navy.example",
      firstName: "Grace",
      lastName: "Hopper",
      company: "Compiler Works",
      country: "US",
      region: "NA",
      employees: 4000,
      score: 64,
      campaign: "Analyst report",
    },
  },
  {
    label: "Hot small lead (rule hot-inbound)",
    mql: {
      source: "marketo",
      externalId: "mkto-42",
      email: "margaret@apollo.example",
      firstName: "Margaret",
      lastName: "Hamilton",
      company: "Apollo Guidance",
      country: "BR",
      employees: 40,
      score: 91,
      campaign: "Free trial",
    },
  },
  {
    label: "Named account (owned by Ada)",
    mql: {
      source: "hubspot",
      externalId: "12346",
      email: "charles@analytical-engines.example",
      firstName: "Charles",
      lastName: "Babbage",
      company: "Analytical Engines",
      country: "GB",
      region: "EMEA",
      employees: 12,
      score: 55,
    },
  },
];
